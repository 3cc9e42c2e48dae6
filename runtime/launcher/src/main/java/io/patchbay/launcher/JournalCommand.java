package io.patchbay.launcher;

import io.patchbay.journal.JournalFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The journal seen from outside the framework: the check every start makes before any bundle
 * starts, and {@code patchbay journal check|repair} for the operator.
 * <ul>
 * <li>A start on a journal with a damaged record (anything but a torn last one, which the engine
 *     cuts off as before) is refused with exit status 3 and one line naming the file, the line
 *     and the commands below; nothing in the data folder is changed.</li>
 * <li>{@code check} reads without the lock and changes nothing; exit status 0 when the journal
 *     is readable, 3 when it is damaged.</li>
 * <li>{@code repair --keep-before LINE} needs the runtime stopped and LINE to be the first
 *     damaged line (the operator's consent to exactly what {@code check} showed). It keeps the
 *     damaged file beside the journal as {@code journal.log.damaged-<time>}, keeps the records
 *     before LINE and appends a {@link JournalFormat#REPAIRED} record, so that the next start
 *     brings the bundles back to the last level those records hold.</li>
 * </ul>
 */
final class JournalCommand {

    static final String USAGE = "usage: patchbay journal check [--data DIR]   |   "
            + "patchbay journal repair [--data DIR] --keep-before LINE";

    private static final DateTimeFormatter BACKUP_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private JournalCommand() {
    }

    /** The check before a start: refuses a journal with a damaged record. */
    static void requireReadable(Path data) throws LaunchException {
        Path journal = JournalFormat.in(data);
        JournalFormat.Scan scan = JournalFormat.scan(Files.exists(journal) ? readAll(journal) : new byte[0], null);
        if (scan.damaged()) {
            throw new LaunchException(LaunchException.ENVIRONMENT, "journal " + journal + " is damaged at line "
                    + scan.damagedLine() + " (its checksum does not match), so the runtime does not start on it; see"
                    + " the damage with 'patchbay journal check --data " + data + "', keep the records before it"
                    + " with 'patchbay journal repair --data " + data + " --keep-before "
                    + scan.damagedLine() + "'");
        }
    }

    /** {@code patchbay journal ...}; returns the exit status. */
    static int run(List<String> args, PrintStream out) throws LaunchException {
        if (args.isEmpty() || !List.of("check", "repair").contains(args.get(0))) {
            throw new LaunchException(LaunchException.USAGE, USAGE);
        }
        Path data = Path.of("data");
        int keepBefore = 0;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--data" -> data = Path.of(LaunchOptions.value(args, ++i, arg));
                case "--keep-before" -> keepBefore = line(LaunchOptions.value(args, ++i, arg));
                default -> throw new LaunchException(LaunchException.USAGE, "unknown option '" + arg + "'; " + USAGE);
            }
        }
        data = data.toAbsolutePath().normalize();
        if (args.get(0).equals("check")) {
            return check(data, out);
        }
        if (keepBefore == 0) {
            throw new LaunchException(LaunchException.USAGE, "journal repair needs --keep-before LINE, the damaged"
                    + " line that 'patchbay journal check --data " + data + "' shows");
        }
        repair(data, keepBefore, out);
        return 0;
    }

    private static int check(Path data, PrintStream out) throws LaunchException {
        Path journal = JournalFormat.in(data);
        if (!Files.exists(journal)) {
            out.println("journal " + journal + " does not exist: no runtime has started on this data folder yet");
            return 0;
        }
        byte[] bytes = readAll(journal);
        LastLevel level = new LastLevel();
        JournalFormat.Scan scan = JournalFormat.scan(bytes, level);
        String tail = scan.tornTail()
                ? "; it ends in a torn record (an append cut short by a crash), cut off at the next start" : "";
        if (!scan.damaged()) {
            out.println("journal " + journal + " is readable: " + records(scan.records()) + level.said() + tail);
            return 0;
        }
        out.println("journal " + journal + " is damaged at line " + scan.damagedLine() + " (byte "
                + scan.damagedAt() + "): its checksum does not match");
        out.println("  damaged line: " + excerpt(bytes, scan.damagedAt()));
        out.println("  before it: " + records(scan.records()) + ", intact" + level.said());
        out.println("  from it on: the damaged line and " + scan.linesAfter() + " more (" + scan.intactAfter()
                + " of them intact) would be dropped" + tail);
        out.println("  to keep the records before it: patchbay journal repair --data " + data + " --keep-before "
                + scan.damagedLine());
        return LaunchException.ENVIRONMENT;
    }

    private static void repair(Path data, int keepBefore, PrintStream out) throws LaunchException {
        Path journal = JournalFormat.in(data);
        if (!Files.exists(journal)) {
            throw new LaunchException(LaunchException.USAGE, "there is no journal " + journal + " to repair");
        }
        // The lock keeps a runtime from starting on (or writing) the journal while it is rewritten.
        try (DataFolder folder = DataFolder.open(data)) {
            byte[] bytes = readAll(journal);
            LastLevel level = new LastLevel();
            JournalFormat.Scan scan = JournalFormat.scan(bytes, level);
            if (!scan.damaged()) {
                throw new LaunchException(LaunchException.USAGE, "journal " + journal
                        + " is not damaged; there is nothing to repair");
            }
            if (scan.damagedLine() != keepBefore) {
                throw new LaunchException(LaunchException.USAGE, "journal " + journal + " is damaged at line "
                        + scan.damagedLine() + ", not at line " + keepBefore + "; repair with --keep-before "
                        + scan.damagedLine() + " after looking at 'patchbay journal check --data " + data + "'");
            }
            Path backup = journal.resolveSibling(journal.getFileName() + ".damaged-" + BACKUP_TIME.format(Instant.now()));
            String repaired = JournalFormat.line(JournalFormat.REPAIRED + "|at=" + encode(Instant.now().toString())
                    + "|line=" + keepBefore + "|kept=" + scan.records() + "|backup=" + encode(backup.toString()));
            Path next = journal.resolveSibling(journal.getFileName() + ".repairing");
            try {
                Files.copy(journal, backup, StandardCopyOption.COPY_ATTRIBUTES);
                // The backup becomes the only copy of the dropped records: on disk, under its name,
                // before the rename replaces the journal.
                try (FileChannel copy = FileChannel.open(backup, StandardOpenOption.READ)) {
                    copy.force(true);
                }
                forceFolder(journal.getParent());
                try (FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.wrap(bytes, 0, (int) scan.validBytes()));
                    channel.write(ByteBuffer.wrap(repaired.getBytes(StandardCharsets.UTF_8)));
                    channel.force(true);
                }
                // One rename: a crash leaves either the damaged journal or the repaired one, never half.
                Files.move(next, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                forceFolder(journal.getParent());
            } catch (IOException e) {
                deleteQuietly(next);
                throw new LaunchException(LaunchException.ENVIRONMENT, "cannot repair the journal " + journal + " ("
                        + DataFolder.reason(e) + "); it is unchanged");
            }
            out.println("journal " + journal + ": kept the " + records(scan.records()) + " before line " + keepBefore
                    + " and dropped " + (scan.linesAfter() + 1) + " lines; the damaged file is kept as " + backup);
            out.println(level.number().isEmpty()
                    ? "The kept records hold no level: the next start records the installed bundles as level 0."
                    : "The next start brings the bundles back to level " + level.number()
                            + ", the last level the kept records hold.");
        }
    }

    /** Remembers the number of the last {@code LEVEL} record a scan passes. */
    private static final class LastLevel implements JournalFormat.RecordVisitor {

        private String number = "";

        @Override
        public void record(int line, long offset, String body) {
            if (JournalFormat.type(body).equals("LEVEL")) {
                number = JournalFormat.rawField(body, "level");
            }
        }

        String number() {
            return number;
        }

        String said() {
            return number.isEmpty() ? "" : ", the last level they hold is " + number;
        }
    }

    static byte[] readAll(Path journal) throws LaunchException {
        try {
            return Files.readAllBytes(journal);
        } catch (IOException e) {
            throw new LaunchException(LaunchException.ENVIRONMENT, "cannot read the journal " + journal + " ("
                    + DataFolder.reason(e) + ")");
        }
    }

    /** @return the start of the line at {@code offset}, at most 120 characters, control characters shown as '?' */
    private static String excerpt(byte[] bytes, long offset) {
        int end = (int) offset;
        while (end < bytes.length && bytes[end] != '\n' && end - offset < 120) {
            end++;
        }
        String text = new String(bytes, (int) offset, end - (int) offset, StandardCharsets.UTF_8);
        return text.replaceAll("\\p{Cntrl}", "?") + (end < bytes.length && bytes[end] != '\n' ? "..." : "");
    }

    /** Makes the rename itself durable: a directory's entries reach the disk only when it is forced. */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not every file system lets a folder be opened; the rename is still atomic
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the refusal that follows is what matters; a stray temporary file is harmless
        }
    }

    private static String records(int count) {
        return count + (count == 1 ? " record" : " records");
    }

    private static int line(String text) throws LaunchException {
        try {
            int line = Integer.parseInt(text);
            if (line >= 1) {
                return line;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new LaunchException(LaunchException.USAGE, "--keep-before needs a line number from 1, not '" + text + "'");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
