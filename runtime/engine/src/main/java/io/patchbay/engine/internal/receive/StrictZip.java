package io.patchbay.engine.internal.receive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A zip archive read the one way the OSGi framework reads it, through its central directory,
 * and refused unless every other way of reading it sees the same entries. Readers disagree
 * where an archive is ambiguous: a streaming reader walks the local headers from the start,
 * the JDK's {@code ZipFile} (and so Felix) starts from the central directory, and each
 * silently tolerates what the other never sees. {@link #of} therefore accepts an archive only
 * if it has no bytes before its first entry, every local header agrees with its central
 * directory record (name, flags, compression, CRC and sizes), the entries follow each other
 * without gaps or overlaps up to the central directory (so no entry exists only in local
 * headers), no name occurs twice (nor a second manifest spelled in another case), and the
 * end record ends the file. Otherwise it throws a {@link ZipException} whose message names
 * the defect in one line. ZIP64 and multi-disk archives are refused: no patch needs them.
 */
public final class StrictZip {

    public static final String MANIFEST = "META-INF/MANIFEST.MF";
    /** Joins what was refused to the defect in refusals: "patch p.dp" + REFUSED + defect. */
    public static final String REFUSED = " is an ambiguous or malformed archive: ";

    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int DESCRIPTOR = 0x08074b50;
    private static final int END_SIZE = 22;
    private static final int FLAG_DESCRIPTOR = 1 << 3;

    /** One central directory record, with where its data lies once its local header is checked. */
    private record Entry(String name, byte[] rawName, int flags, int method, long crc, long compressedSize,
            long size, long headerOffset, long dataOffset) {
    }

    private final byte[] archive;
    private final Map<String, Entry> entries;
    private final List<String> names;

    private StrictZip(byte[] archive, Map<String, Entry> entries, List<String> names) {
        this.archive = archive;
        this.entries = entries;
        this.names = names;
    }

    /** Checks the whole structure of {@code archive}; throws naming the first defect found. */
    public static StrictZip of(byte[] archive) throws ZipException {
        int end = findEnd(archive);
        if (u16(archive, end + 4) != 0 || u16(archive, end + 6) != 0 || u16(archive, end + 8) != u16(archive, end + 10)) {
            throw new ZipException("it spans several disks");
        }
        int count = u16(archive, end + 10);
        long directorySize = u32(archive, end + 12);
        long directoryOffset = u32(archive, end + 16);
        if (count == 0xffff || directorySize == 0xffffffffL || directoryOffset == 0xffffffffL) {
            throw new ZipException("it uses ZIP64, which patches never need");
        }
        long directoryStart = end - directorySize;
        if (directoryStart < 0 || directoryOffset > directoryStart) {
            throw new ZipException("its end record points outside the file's central directory");
        }
        if (directoryStart != directoryOffset) {
            // The JDK takes the difference for a prefix (a self-extracting stub) and reads on.
            throw new ZipException("it has " + (directoryStart - directoryOffset)
                    + " bytes of data before its first entry that the central directory does not account for");
        }
        List<Entry> records = new ArrayList<>();
        Map<String, Entry> byName = new HashMap<>();
        List<String> names = new ArrayList<>();
        int at = (int) directoryStart;
        for (int i = 0; i < count; i++) {
            if (at + 46 > end || s32(archive, at) != CENTRAL) {
                throw new ZipException("its central directory holds fewer entries than its end record says (" + count + ")");
            }
            int nameLength = u16(archive, at + 28);
            int next = at + 46 + nameLength + u16(archive, at + 30) + u16(archive, at + 32);
            if (next > end) {
                throw new ZipException("its central directory runs past its end record");
            }
            byte[] rawName = Arrays.copyOfRange(archive, at + 46, at + 46 + nameLength);
            String name = new String(rawName, StandardCharsets.UTF_8);
            Entry record = new Entry(name, rawName, u16(archive, at + 8), u16(archive, at + 10), u32(archive, at + 16),
                    u32(archive, at + 20), u32(archive, at + 24), u32(archive, at + 42), 0);
            if (byName.put(name, record) != null) {
                throw new ZipException("it has two entries named " + PatchReader.printable(name));
            }
            if (!name.equals(MANIFEST) && name.equalsIgnoreCase(MANIFEST)) {
                throw new ZipException("it has a second manifest spelled " + PatchReader.printable(name));
            }
            records.add(record);
            names.add(name);
            at = next;
        }
        if (at != end) {
            throw new ZipException("its central directory holds more than the " + count + " entries its end record says");
        }
        Map<String, Entry> checked = new HashMap<>();
        long expected = 0;
        List<Entry> inFileOrder = new ArrayList<>(records);
        inFileOrder.sort(Comparator.comparingLong(Entry::headerOffset));
        for (Entry record : inFileOrder) {
            if (record.headerOffset() > expected) {
                throw new ZipException(hidden(archive, expected, record.headerOffset()));
            }
            if (record.headerOffset() < expected) {
                throw new ZipException("its entry " + PatchReader.printable(record.name()) + " overlaps the entry before it");
            }
            Entry local = local(archive, record, directoryStart);
            checked.put(record.name(), local);
            expected = endOf(archive, local, directoryStart);
        }
        if (expected != directoryStart) {
            throw new ZipException(hidden(archive, expected, directoryStart));
        }
        return new StrictZip(archive, checked, List.copyOf(names));
    }

    /** Entry names in central directory order. */
    List<String> names() {
        return names;
    }

    /** The expanded size the central directory gives for {@code name}, or -1 if there is no such entry. */
    public long size(String name) {
        Entry entry = entries.get(name);
        return entry == null ? -1 : entry.size();
    }

    /**
     * The expanded content of {@code name}, or {@code null} if the archive has no such entry.
     * Expands no more than the size the central directory gives: check it with {@link #size} first.
     */
    public byte[] read(String name) throws ZipException {
        Entry entry = entries.get(name);
        if (entry == null) {
            return null;
        }
        int from = (int) entry.dataOffset();
        byte[] content;
        if (entry.method() == 0) {
            content = Arrays.copyOfRange(archive, from, from + (int) entry.compressedSize());
        } else {
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(archive, from, (int) entry.compressedSize());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                while (!inflater.finished()) {
                    int n = inflater.inflate(buffer);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    if (out.size() > entry.size()) {
                        break;
                    }
                }
                content = out.toByteArray();
            } catch (DataFormatException e) {
                throw new ZipException("its entry " + PatchReader.printable(name) + " does not inflate (" + e.getMessage() + ")");
            } finally {
                inflater.end();
            }
        }
        CRC32 crc = new CRC32();
        crc.update(content);
        if (content.length != entry.size() || crc.getValue() != entry.crc()) {
            throw new ZipException("its entry " + PatchReader.printable(name) + " does not match the size and CRC its headers give");
        }
        return content;
    }

    /** The end record: the last one whose comment reaches exactly to the end of the file. */
    private static int findEnd(byte[] archive) throws ZipException {
        for (int at = archive.length - END_SIZE; at >= 0 && at >= archive.length - END_SIZE - 0xffff; at--) {
            if (s32(archive, at) == END && at + END_SIZE + u16(archive, at + 20) == archive.length) {
                return at;
            }
        }
        throw new ZipException("it has no end record that ends the file (truncated, or data after the archive)");
    }

    /** Checks the local header of {@code record} against it and returns the record with its data offset. */
    private static Entry local(byte[] archive, Entry record, long directoryStart) throws ZipException {
        int at = (int) record.headerOffset();
        String name = PatchReader.printable(record.name());
        if (at + 30 > directoryStart || s32(archive, at) != LOCAL) {
            throw new ZipException("the central directory points " + name + " at bytes that are not a local header");
        }
        int nameLength = u16(archive, at + 26);
        long dataOffset = (long) at + 30 + nameLength + u16(archive, at + 28);
        if (dataOffset > directoryStart) {
            throw new ZipException("the local header of " + name + " runs into the central directory");
        }
        byte[] localName = Arrays.copyOfRange(archive, at + 30, at + 30 + nameLength);
        if (!Arrays.equals(localName, record.rawName())) {
            throw new ZipException("the local header of " + name + " names it "
                    + PatchReader.printable(new String(localName, StandardCharsets.UTF_8)));
        }
        int flags = u16(archive, at + 6);
        if (flags != record.flags()) {
            throw new ZipException("the local header of " + name + " disagrees with the central directory on its flags");
        }
        if (u16(archive, at + 8) != record.method()) {
            throw new ZipException("the local header of " + name + " disagrees with the central directory on its compression");
        }
        if (record.method() != 0 && record.method() != 8) {
            throw new ZipException("its entry " + name + " uses compression method " + record.method()
                    + ", which the framework cannot read");
        }
        if (record.method() == 0 && record.compressedSize() != record.size()) {
            throw new ZipException("its stored entry " + name + " has two different sizes");
        }
        if ((flags & 1) != 0) {
            throw new ZipException("its entry " + name + " is encrypted");
        }
        if ((flags & FLAG_DESCRIPTOR) == 0) {
            agree(name, u32(archive, at + 14), u32(archive, at + 18), u32(archive, at + 22), record);
        }
        return new Entry(record.name(), record.rawName(), flags, record.method(), record.crc(), record.compressedSize(),
                record.size(), record.headerOffset(), dataOffset);
    }

    /** Where the entry's data (and its data descriptor, if it has one) ends. */
    private static long endOf(byte[] archive, Entry entry, long directoryStart) throws ZipException {
        long dataEnd = entry.dataOffset() + entry.compressedSize();
        if (dataEnd > directoryStart) {
            throw new ZipException("the data of " + PatchReader.printable(entry.name()) + " runs into the central directory");
        }
        if ((entry.flags() & FLAG_DESCRIPTOR) == 0) {
            return dataEnd;
        }
        int at = (int) dataEnd;
        if (at + 16 <= directoryStart && s32(archive, at) == DESCRIPTOR) {
            at += 4;
        }
        if (at + 12 > directoryStart) {
            throw new ZipException("the data descriptor of " + PatchReader.printable(entry.name()) + " runs into the central directory");
        }
        agree(PatchReader.printable(entry.name()), u32(archive, at), u32(archive, at + 4), u32(archive, at + 8), entry);
        return at + 12L;
    }

    private static void agree(String name, long crc, long compressedSize, long size, Entry record) throws ZipException {
        if (compressedSize != record.compressedSize() || size != record.size()) {
            throw new ZipException("the local header of " + name + " disagrees with the central directory on its sizes");
        }
        if (crc != record.crc()) {
            throw new ZipException("the local header of " + name + " disagrees with the central directory on its CRC");
        }
    }

    /** Describes bytes no central directory record accounts for, naming the entry they hold if they hold one. */
    private static String hidden(byte[] archive, long from, long to) {
        int at = (int) from;
        if (to - from >= 30 && s32(archive, at) == LOCAL && at + 30 + u16(archive, at + 26) <= to) {
            String name = new String(archive, at + 30, u16(archive, at + 26), StandardCharsets.UTF_8);
            return "it has an entry only its local headers hold: " + PatchReader.printable(name);
        }
        return from == 0 ? "it has " + to + " bytes of data before its first entry"
                : "it has " + (to - from) + " bytes at offset " + from + " that its central directory does not account for";
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int at) {
        return s32(b, at) & 0xffffffffL;
    }

    private static int s32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    /** @return the jar's manifest, read as {@link #of} reads the jar; {@code null} when it has none */
    public static Manifest manifestOf(byte[] jar) throws IOException {
        byte[] manifest = StrictZip.of(jar).read(StrictZip.MANIFEST);
        return manifest == null ? null : new Manifest(new ByteArrayInputStream(manifest));
    }
}
