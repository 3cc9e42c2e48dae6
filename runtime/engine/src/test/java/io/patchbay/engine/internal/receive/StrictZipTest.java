package io.patchbay.engine.internal.receive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The strict reader against archives the JDK reads without complaint but other readers read
 * differently; each is made from a well-formed zip by changing a few bytes.
 */
class StrictZipTest {

    private static final byte[] MANIFEST = "Manifest-Version: 1.0\r\nBundle-SymbolicName: good\r\n\r\n"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] DECOY = "Manifest-Version: 1.0\r\nBundle-SymbolicName: decoy\r\n\r\n"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void readsAWellFormedArchiveThroughItsCentralDirectory() throws IOException {
        for (int method : new int[] {ZipEntry.STORED, ZipEntry.DEFLATED}) {
            StrictZip zip = StrictZip.of(zip(method, "META-INF/MANIFEST.MF", MANIFEST, "payload.txt", "x".repeat(500)
                    .getBytes(StandardCharsets.UTF_8)));
            assertEquals(List.of("META-INF/MANIFEST.MF", "payload.txt"), zip.names());
            assertArrayEquals(MANIFEST, zip.read(StrictZip.MANIFEST));
            assertEquals(500, zip.size("payload.txt"));
            assertNull(zip.read("absent"));
            assertEquals(-1, zip.size("absent"));
        }
    }

    @Test
    void refusesTwoEntriesOfOneName() throws IOException {
        byte[] bytes = zip(ZipEntry.DEFLATED, "META-INF/MANIFEST.MF", MANIFEST, "META-INF/MANIFEST.XX", DECOY);
        refused("it has two entries named META-INF/MANIFEST.MF", replaceAll(bytes, "MANIFEST.XX", "MANIFEST.MF"));
    }

    @Test
    void refusesASecondManifestInAnotherCase() throws IOException {
        refused("it has a second manifest spelled meta-inf/manifest.mf",
                zip(ZipEntry.DEFLATED, "meta-inf/manifest.mf", DECOY, "META-INF/MANIFEST.MF", MANIFEST));
    }

    /** The attack of issue 18: a streaming reader takes the first manifest, the framework the listed one. */
    @Test
    void refusesAnEntryOnlyTheLocalHeadersHold() throws IOException {
        byte[] decoy = zip(ZipEntry.DEFLATED, "META-INF/MANIFEST.MF", DECOY);
        byte[] real = zip(ZipEntry.DEFLATED, "META-INF/MANIFEST.MF", MANIFEST);
        byte[] local = Arrays.copyOf(decoy, centralDirectoryOffset(decoy));
        refused("it has an entry only its local headers hold: META-INF/MANIFEST.MF", prepend(local, real, true));
    }

    @Test
    void refusesAnEntryHiddenBetweenListedOnes() throws IOException {
        byte[] hidden = zip(ZipEntry.STORED, "hidden.txt", DECOY);
        byte[] real = zip(ZipEntry.STORED, "META-INF/MANIFEST.MF", MANIFEST);
        int end = centralDirectoryOffset(real);
        byte[] spliced = concat(Arrays.copyOf(real, end), Arrays.copyOf(hidden, centralDirectoryOffset(hidden)),
                Arrays.copyOfRange(real, end, real.length));
        // The end record must still find the central directory, now further on.
        setU32(spliced, spliced.length - 6, end + centralDirectoryOffset(hidden));
        refused("it has an entry only its local headers hold: hidden.txt", spliced);
    }

    @Test
    void refusesDataBeforeTheFirstEntry() throws IOException {
        byte[] real = zip(ZipEntry.DEFLATED, "META-INF/MANIFEST.MF", MANIFEST);
        byte[] stub = "#!/bin/sh\nexec something\n".getBytes(StandardCharsets.UTF_8);
        // Offsets left as they were (how a self-extracting stub is usually made) and adjusted.
        refused("it has 25 bytes of data before its first entry", prepend(stub, real, false));
        refused("it has 25 bytes of data before its first entry", prepend(stub, real, true));
    }

    @Test
    void refusesALocalHeaderThatNamesAnotherEntry() throws IOException {
        byte[] bytes = zip(ZipEntry.DEFLATED, "META-INF/MANIFEST.MF", MANIFEST, "payload.txt", DECOY);
        refused("the local header of payload.txt names it payload.TXT", replaceFirst(bytes, "payload.txt", "payload.TXT"));
    }

    @Test
    void refusesALocalHeaderWithOtherSizes() throws IOException {
        byte[] bytes = zip(ZipEntry.STORED, "META-INF/MANIFEST.MF", MANIFEST);
        setU32(bytes, 18, MANIFEST.length - 1);
        refused("the local header of META-INF/MANIFEST.MF disagrees with the central directory on its sizes", bytes);
    }

    @Test
    void refusesADataDescriptorWithOtherSizes() throws IOException {
        byte[] bytes = zip(ZipEntry.DEFLATED, "META-INF/MANIFEST.MF", MANIFEST);
        int descriptor = centralDirectoryOffset(bytes) - 16;
        setU32(bytes, descriptor + 12, MANIFEST.length + 1);
        refused("the local header of META-INF/MANIFEST.MF disagrees with the central directory on its sizes", bytes);
    }

    @Test
    void refusesALocalHeaderWithAnotherCompression() throws IOException {
        byte[] bytes = zip(ZipEntry.STORED, "META-INF/MANIFEST.MF", MANIFEST);
        bytes[8] = 8;
        refused("disagrees with the central directory on its compression", bytes);
    }

    @Test
    void refusesDataAfterTheEndRecord() throws IOException {
        byte[] bytes = zip(ZipEntry.STORED, "META-INF/MANIFEST.MF", MANIFEST);
        refused("it has no end record that ends the file", concat(bytes, new byte[] {1, 2, 3}));
    }

    @Test
    void refusesGarbageWithoutThrowingAnythingElse() {
        refused("it has no end record", new byte[0]);
        refused("it has no end record", "not a zip at all".getBytes(StandardCharsets.UTF_8));
    }

    private static void refused(String expected, byte[] archive) {
        ZipException e = assertThrows(ZipException.class, () -> StrictZip.of(archive));
        if (!e.getMessage().contains(expected)) {
            throw new AssertionError("expected '" + expected + "' in: " + e.getMessage());
        }
    }

    /** A zip of name, content pairs; stored entries carry their sizes in the local header. */
    private static byte[] zip(int method, Object... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] content = (byte[]) namesAndContents[i + 1];
                ZipEntry entry = new ZipEntry((String) namesAndContents[i]);
                entry.setMethod(method);
                if (method == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(content);
                    entry.setSize(content.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(content);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** {@code before} followed by {@code zip}, with the zip's offsets moved along or left as they were. */
    private static byte[] prepend(byte[] before, byte[] zip, boolean adjustOffsets) {
        byte[] joined = concat(before, zip);
        if (adjustOffsets) {
            int end = joined.length - 22;
            int directory = before.length + centralDirectoryOffset(zip);
            for (int at = directory; at < end; at += 46 + u16(joined, at + 28) + u16(joined, at + 30) + u16(joined, at + 32)) {
                setU32(joined, at + 42, u32(joined, at + 42) + before.length);
            }
            setU32(joined, end + 16, directory);
        }
        return joined;
    }

    private static int centralDirectoryOffset(byte[] zip) {
        return u32(zip, zip.length - 22 + 16);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] replaceAll(byte[] bytes, String from, String to) {
        return new String(bytes, StandardCharsets.ISO_8859_1).replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] replaceFirst(byte[] bytes, String from, String to) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(from);
        return (text.substring(0, at) + to + text.substring(at + from.length())).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int u16(byte[] b, int at) {
        return Short.toUnsignedInt(littleEndian(b).getShort(at));
    }

    private static int u32(byte[] b, int at) {
        return littleEndian(b).getInt(at);
    }

    private static void setU32(byte[] b, int at, int value) {
        littleEndian(b).putInt(at, value);
    }

    private static ByteBuffer littleEndian(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
