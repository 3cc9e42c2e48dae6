package io.patchbay.journal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The journal's line format, shared by the engine, which writes and reads the journal, and the
 * launcher, which checks it before any application bundle starts and repairs it when the operator
 * says so. Plain Java, embedded in the engine bundle rather than imported.
 *
 * <p>One record a line: {@code TYPE|key=value|...|crc=XXXXXXXX}, values URL-encoded, the CRC-32
 * of everything before {@code |crc=} in eight lower-case hex digits, then a newline. A record
 * counts only when its line is complete, its checksum matches and every field has a key; empty
 * lines are skipped. Any other line is damage, with one exception: the last line, when it is not
 * a record (no newline yet, or a newline but a checksum that does not match, as a power cut leaves
 * an append whose pages reached the disk out of order), is the append a crash cut short: it never
 * took effect and is torn off ({@link Scan#validBytes()} ends before it). Every append is forced to
 * disk before the next begins, so only the last line can be such an append; a damaged line with
 * anything after it is damage.
 */
public final class JournalFormat {

    /** Where the journal lives in the runtime's data folder. */
    public static final String PATH_IN_DATA = "patchbay/journal.log";
    /**
     * Appended by {@code patchbay journal repair} after the records it kept: the next start brings
     * the bundles back to the last level those records hold, whatever later (dropped) records did.
     */
    public static final String REPAIRED = "REPAIRED";

    private static final String CRC_FIELD = "|crc=";

    private JournalFormat() {
    }

    /** Called for each intact record before the first damaged line, in file order. */
    @FunctionalInterface
    public interface RecordVisitor {

        /**
         * @param line   its line number, from 1
         * @param offset where its line starts in the file
         * @param body   the record without its checksum: {@code TYPE|key=value|...}
         */
        void record(int line, long offset, String body);
    }

    /**
     * What a scan found.
     *
     * @param validBytes     the length of the file up to the end of the last intact record
     *                       before any damage (where the next append goes, once a torn tail is cut)
     * @param records        the intact records before the damage
     * @param damagedLine    the first damaged line's number, or 0 when there is none
     * @param damagedAt      where the damaged line starts in the file (-1 when there is none)
     * @param linesAfter     complete, non-empty lines after the damaged one
     * @param intactAfter    of those, the ones that still are intact records
     * @param tornTail       whether the file ends in a torn record (a crash in the middle of an append):
     *                       a last line that is not a record, with or without its newline
     */
    public record Scan(long validBytes, int records, int damagedLine, long damagedAt, int linesAfter,
            int intactAfter, boolean tornTail) {

        public boolean damaged() {
            return damagedLine > 0;
        }
    }

    /** @return the journal of the runtime whose data folder is {@code data} */
    public static Path in(Path data) {
        return data.resolve(PATH_IN_DATA);
    }

    /** @return the record as a line: body, checksum, newline */
    public static String line(String body) {
        return body + CRC_FIELD + crc(body) + "\n";
    }

    /** @return the record's body if {@code line} (without its newline) is an intact record, otherwise null */
    public static String checkedBody(String line) {
        int crcAt = line.lastIndexOf(CRC_FIELD);
        if (crcAt < 0) {
            return null;
        }
        String body = line.substring(0, crcAt);
        if (!line.substring(crcAt + CRC_FIELD.length()).equals(crc(body))) {
            return null;
        }
        String[] parts = body.split("\\|");
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].indexOf('=') <= 0) {
                return null;
            }
        }
        return body;
    }

    /** @return the value of {@code key} in an intact record's body, still URL-encoded; "" when absent */
    public static String rawField(String body, String key) {
        for (String part : body.split("\\|")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        return "";
    }

    /** @return the record type of an intact record's body */
    public static String type(String body) {
        int bar = body.indexOf('|');
        return bar < 0 ? body : body.substring(0, bar);
    }

    /**
     * Reads a journal's bytes line by line: tells {@code each} (if given) every intact record up to
     * the first damaged line, then only counts what follows.
     */
    public static Scan scan(byte[] bytes, RecordVisitor each) {
        long valid = 0;
        int records = 0;
        int damagedLine = 0;
        long damagedAt = -1;
        int linesAfter = 0;
        int intactAfter = 0;
        boolean torn = false;
        int lineNumber = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNumber++;
            if (end == bytes.length) {
                torn = true; // no newline: an append that a crash cut short
                break;
            }
            String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            String body = line.isEmpty() ? null : checkedBody(line);
            if (damagedLine > 0) {
                linesAfter += line.isEmpty() ? 0 : 1;
                intactAfter += body == null ? 0 : 1;
            } else if (line.isEmpty() || body != null) {
                if (body != null) {
                    records++;
                    if (each != null) {
                        each.record(lineNumber, start, body);
                    }
                }
                valid = end + 1;
            } else {
                damagedLine = lineNumber;
                damagedAt = start;
            }
            start = end + 1;
        }
        if (damagedLine > 0 && linesAfter == 0 && !torn) {
            // The damaged line is the last one: an append cut short, as a line without its newline is.
            return new Scan(valid, records, 0, -1, 0, 0, true);
        }
        return new Scan(valid, records, damagedLine, damagedAt, linesAfter, intactAfter, torn);
    }

    static String crc(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }
}
