package io.patchbay.engine.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * checksum, as a crash mid-write leaves it) never took effect: it is cut off when the journal
 * is opened, so the next record starts on a clean line.
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
    private final FileChannel channel;

    private final String failWrite;
    /** Test hook "journal-after-begin": set once an operation's first record is on disk. */
    private boolean begun;

    Journal(Path file) throws IOException {
        this(file, "");
    }

    /**
     * @param failWrite test hook: "journal" makes every append fail as on a full disk;
     *                  "journal-after-begin" lets an operation begin, then fails every append
     *                  (the disk fills up in the middle of a patch)
     */
    Journal(Path file, String failWrite) throws IOException {
        this.file = file;
        this.failWrite = failWrite == null ? "" : failWrite;
        Files.createDirectories(file.getParent());
        long validBytes = read(new ArrayList<>());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (channel.size() > validBytes) {
            channel.truncate(validBytes);
            channel.force(true);
        }
        channel.position(validBytes);
    }

    /**
     * Reads every record from disk. Nothing is kept in memory between calls, so a runtime that
     * is patched thousands of times does not grow with its history; callers that need something
     * often (the current level) keep it themselves.
     */
    synchronized List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        try {
            read(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file + ": " + e.getMessage(), e);
        }
        return Collections.unmodifiableList(entries);
    }

    /** Appends a record and forces it to disk. */
    synchronized Entry append(String type, Map<String, String> fields) throws IOException {
        TestHook.failIfAsked(failWrite, "journal");
        TestHook.failIfAsked(begun ? failWrite : "", "journal-after-begin");
        StringBuilder line = new StringBuilder(type);
        for (Map.Entry<String, String> field : fields.entrySet()) {
            line.append('|').append(field.getKey()).append('=')
                    .append(URLEncoder.encode(field.getValue() == null ? "" : field.getValue(), StandardCharsets.UTF_8));
        }
        String body = line.toString();
        write(body + "|crc=" + crc(body) + "\n");
        Entry entry = new Entry(type, Map.copyOf(fields));
        begun |= type.equals(PatchLedger.BEGIN);
        return entry;
    }

    void close() throws IOException {
        channel.close();
    }

    /**
     * Writes one whole record or nothing: a write that fails half-way (disk full) is cut back off,
     * so the next record does not get glued to a fragment and the file stays readable.
     */
    private void write(String text) throws IOException {
        long start = channel.position();
        try {
            ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            try {
                channel.truncate(start);
                channel.position(start);
                channel.force(true);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** Reads every complete record into {@code entries}; returns the length of the file up to the end of the last one. */
    private long read(List<Entry> entries) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(file);
        long valid = 0;
        int start = 0;
        int lineNumber = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNumber++;
            boolean complete = end < bytes.length;
            String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            Entry entry = line.isEmpty() ? null : parse(line);
            if (complete && line.isEmpty()) {
                valid = end + 1;
            } else if (entry != null && complete) {
                entries.add(entry);
                valid = end + 1;
            } else if (end + 1 >= bytes.length) {
                break; // the torn last record: cut off on open
            } else {
                throw new IOException("journal " + file + " is damaged at line " + lineNumber);
            }
            start = end + 1;
        }
        return valid;
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
