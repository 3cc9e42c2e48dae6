package io.patchbay.engine.internal.ledger;

import io.patchbay.engine.internal.config.Faults;
import io.patchbay.journal.JournalFormat;
import java.io.ByteArrayOutputStream;
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
import java.util.function.Consumer;

/**
 * Patchbay's append-only journal: one record per line, each forced to disk before the call
 * returns, in the line format of {@link JournalFormat} (a CRC-32 per record). A last line that is
 * torn (no newline, or a checksum that does not match, as a crash mid-write leaves it) never took
 * effect: it is cut off when the journal is opened, so the next record starts on a clean line. Any
 * other damaged line makes opening and reading fail with its line number.
 *
 * <p>Record types: {@code LEVEL} (a committed bundle set), {@code BEGIN} (an intent: what an
 * operation is about to change), {@code STEP} (progress inside an operation), {@code END} (its
 * outcome), {@code REFUSED} (an operation refused before it changed anything) and
 * {@link JournalFormat#REPAIRED} (written by {@code patchbay journal repair}, never by the engine).
 */
public final class Journal {

    /** One parsed record. */
    public record Entry(String type, Map<String, String> fields) {

        public String get(String key) {
            return fields.getOrDefault(key, "");
        }
    }

    /** A record and where it starts in the file, so that it can be read again alone. */
    record Located(long offset, Entry entry) {
    }

    private final Path file;
    private final FileChannel channel;

    private final String failWrite;
    /** Test hook "journal-after-begin": set once an operation's first record is on disk. */
    private boolean begun;

    public Journal(Path file) throws IOException {
        this(file, "");
    }

    /**
     * @param failWrite test hook: "journal" makes every append fail as on a full disk;
     *                  "journal-after-begin" lets an operation begin, then fails every append
     *                  (the disk fills up in the middle of a patch)
     */
    public Journal(Path file, String failWrite) throws IOException {
        this.file = file;
        this.failWrite = failWrite == null ? "" : failWrite;
        Files.createDirectories(file.getParent());
        long validBytes = read(null, null);
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
            read(entries, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file + ": " + e.getMessage(), e);
        }
        return Collections.unmodifiableList(entries);
    }

    /** Reads every record of one type from disk, with where each starts. */
    synchronized List<Located> located(String type) {
        List<Located> found = new ArrayList<>();
        try {
            read(null, located -> {
                if (located.entry().type().equals(type)) {
                    found.add(located);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file + ": " + e.getMessage(), e);
        }
        return found;
    }

    /** Reads the one record that starts at {@code offset} (as {@link #located} or {@link #append} gave it). */
    synchronized Entry entryAt(long offset) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            long position = offset;
            while (in.read(buffer, position) > 0) {
                buffer.flip();
                position += buffer.remaining();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        Entry entry = parse(line.toString(StandardCharsets.UTF_8));
                        if (entry == null) {
                            throw new IOException("no valid record at byte " + offset);
                        }
                        return entry;
                    }
                    line.write(b);
                }
                buffer.clear();
            }
            throw new IOException("no complete record at byte " + offset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends a record and forces it to disk; returns where it starts. */
    synchronized long append(String type, Map<String, String> fields) throws IOException {
        Faults.failIfAsked(failWrite, "journal");
        Faults.failIfAsked(begun ? failWrite : "", "journal-after-begin");
        StringBuilder line = new StringBuilder(type);
        for (Map.Entry<String, String> field : fields.entrySet()) {
            line.append('|').append(field.getKey()).append('=')
                    .append(URLEncoder.encode(field.getValue() == null ? "" : field.getValue(), StandardCharsets.UTF_8));
        }
        String body = line.toString();
        long offset = write(JournalFormat.line(body));
        begun |= type.equals(PatchLedger.BEGIN);
        return offset;
    }

    public void close() throws IOException {
        channel.close();
    }

    /**
     * Writes one whole record or nothing: a write that fails half-way (disk full) is cut back off,
     * so the next record does not get glued to a fragment and the file stays readable.
     */
    private long write(String text) throws IOException {
        long start = channel.position();
        try {
            ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
            return start;
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

    /**
     * Reads every intact record into {@code entries} (if given) and tells {@code each} (if given)
     * where it starts; returns the length of the file up to the end of the last one. A damaged
     * line anywhere but a torn last one is an error: the launcher refuses to start on such a
     * journal, and the engine never guesses past it.
     */
    private long read(List<Entry> entries, Consumer<Located> each) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        JournalFormat.Scan scan = JournalFormat.scan(Files.readAllBytes(file), (line, offset, body) -> {
            Entry entry = fromBody(body);
            if (entries != null) {
                entries.add(entry);
            }
            if (each != null) {
                each.accept(new Located(offset, entry));
            }
        });
        if (scan.damaged()) {
            throw new IOException("journal " + file + " is damaged at line " + scan.damagedLine());
        }
        return scan.validBytes();
    }

    static Entry parse(String line) {
        String body = JournalFormat.checkedBody(line);
        return body == null ? null : fromBody(body);
    }

    /** @param body an intact record's body, as {@link JournalFormat#checkedBody} gives it */
    private static Entry fromBody(String body) {
        String[] parts = body.split("\\|");
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            fields.put(parts[i].substring(0, eq), URLDecoder.decode(parts[i].substring(eq + 1), StandardCharsets.UTF_8));
        }
        return new Entry(parts[0], Collections.unmodifiableMap(fields));
    }
}
