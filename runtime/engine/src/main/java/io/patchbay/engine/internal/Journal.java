package io.patchbay.engine.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Patchbay's append-only journal: one record per line, each forced to disk before the call
 * returns. A record is {@code TYPE|key=value|...|crc=XXXXXXXX} with URL-encoded values and a
 * CRC-32 over everything before {@code |crc=}. A last line that is torn (no newline or a bad
 * checksum, as a crash mid-write leaves it) is ignored on reading and never built upon.
 *
 * <p>Record types: {@code LEVEL} (a committed bundle set), {@code BEGIN} (an intent: what an
 * operation is about to change), {@code STEP} (progress inside an operation), {@code END} (its
 * outcome) and {@code REFUSED} (an operation refused before it changed anything).
 */
final class Journal {

    /** One parsed record. */
    record Entry(String type, Map<String, String> fields) {

        String get(String key) {
            return fields.getOrDefault(key, "");
        }
    }

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();
    private final FileChannel channel;

    Journal(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.getParent());
        boolean cleanEnd = readExisting();
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (!cleanEnd) {
            // Start the next record on a fresh line after a torn one.
            write("\n");
        }
    }

    synchronized List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries));
    }

    /** Appends a record and forces it to disk. */
    synchronized Entry append(String type, Map<String, String> fields) throws IOException {
        StringBuilder line = new StringBuilder(type);
        for (Map.Entry<String, String> field : fields.entrySet()) {
            line.append('|').append(field.getKey()).append('=')
                    .append(URLEncoder.encode(field.getValue() == null ? "" : field.getValue(), StandardCharsets.UTF_8));
        }
        String body = line.toString();
        write(body + "|crc=" + crc(body) + "\n");
        Entry entry = new Entry(type, Map.copyOf(fields));
        entries.add(entry);
        return entry;
    }

    void close() throws IOException {
        channel.close();
    }

    private void write(String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(true);
    }

    /** @return whether the file ends cleanly (empty, or with a newline after a valid record) */
    private boolean readExisting() throws IOException {
        if (!Files.exists(file)) {
            return true;
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        String[] lines = content.split("\n", -1);
        boolean clean = content.isEmpty() || content.endsWith("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            boolean last = i == lines.length - 1;
            Entry entry = parse(line);
            if (entry == null) {
                if (last) {
                    clean = false;
                    break;
                }
                throw new IOException("journal " + file + " is damaged at line " + (i + 1));
            }
            entries.add(entry);
        }
        return clean;
    }

    static Entry parse(String line) {
        int crcAt = line.lastIndexOf("|crc=");
        if (crcAt < 0) {
            return null;
        }
        String body = line.substring(0, crcAt);
        if (!line.substring(crcAt + 5).equals(crc(body))) {
            return null;
        }
        String[] parts = body.split("\\|");
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                return null;
            }
            fields.put(parts[i].substring(0, eq), URLDecoder.decode(parts[i].substring(eq + 1), StandardCharsets.UTF_8));
        }
        return new Entry(parts[0], Collections.unmodifiableMap(fields));
    }

    static String crc(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }
}
