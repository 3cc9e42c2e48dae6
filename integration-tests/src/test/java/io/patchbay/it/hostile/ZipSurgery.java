package io.patchbay.it.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Makes ambiguous archives from well-formed ones by editing their bytes: the JDK's zip reader
 * (and so the framework) still reads them, while a reader of the local headers sees something
 * else. Signatures stay valid: no entry's content changes.
 */
final class ZipSurgery {

    private ZipSurgery() {
    }

    /** A zip of stored entries, whose local headers carry the sizes and CRC themselves. */
    static byte[] stored(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> content : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(content.getKey());
                CRC32 crc = new CRC32();
                crc.update(content.getValue());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(content.getValue().length);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(content.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Puts an entry before all others that only local headers hold: the central directory does not list it. */
    static byte[] withLocalOnlyEntry(byte[] zip, String name, byte[] content) throws IOException {
        byte[] single = stored(Map.of(name, content));
        return prepend(Arrays.copyOf(single, directoryOffset(single)), zip);
    }

    /** Puts bytes before the first entry, with the central directory's offsets moved along. */
    static byte[] prepend(byte[] before, byte[] zip) {
        byte[] joined = new byte[before.length + zip.length];
        System.arraycopy(before, 0, joined, 0, before.length);
        System.arraycopy(zip, 0, joined, before.length, zip.length);
        int end = joined.length - 22;
        int directory = before.length + directoryOffset(zip);
        for (int at = directory; at < end; at = next(joined, at)) {
            setU32(joined, at + 42, u32(joined, at + 42) + before.length);
        }
        setU32(joined, end + 16, directory);
        return joined;
    }

    /** Renames an entry in its local header only; the new name must be as long as the old. */
    static byte[] renameLocally(byte[] zip, String name, String newName) {
        byte[] edited = zip.clone();
        int at = localHeader(zip, name);
        byte[] bytes = newName.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, edited, at + 30, bytes.length);
        return edited;
    }

    /** Changes the compressed size an entry's local header gives. */
    static byte[] resizeLocally(byte[] zip, String name, int size) {
        byte[] edited = zip.clone();
        setU32(edited, localHeader(zip, name) + 18, size);
        return edited;
    }

    /** Changes the compression method an entry's local header gives. */
    static byte[] recompressLocally(byte[] zip, String name, int method) {
        byte[] edited = zip.clone();
        edited[localHeader(zip, name) + 8] = (byte) method;
        return edited;
    }

    /** Where the local header of {@code name} is, as the central directory says. */
    private static int localHeader(byte[] zip, String name) {
        for (int at = directoryOffset(zip); at < zip.length - 22; at = next(zip, at)) {
            if (new String(zip, at + 46, u16(zip, at + 28), StandardCharsets.UTF_8).equals(name)) {
                return u32(zip, at + 42);
            }
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    private static int next(byte[] zip, int record) {
        return record + 46 + u16(zip, record + 28) + u16(zip, record + 30) + u16(zip, record + 32);
    }

    private static int directoryOffset(byte[] zip) {
        return u32(zip, zip.length - 22 + 16);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int u32(byte[] b, int at) {
        return u16(b, at) | u16(b, at + 2) << 16;
    }

    private static void setU32(byte[] b, int at, int value) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
