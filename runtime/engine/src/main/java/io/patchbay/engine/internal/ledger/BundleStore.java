package io.patchbay.engine.internal.ledger;

import io.patchbay.engine.internal.config.Faults;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Content-addressed copies of every bundle jar Patchbay has installed or may restore:
 * {@code store/<sha256>.jar}. A jar is written to a temporary file, forced to disk and then
 * renamed into place, so a crash never leaves a partial jar under a real name; an existing name
 * is never rewritten.
 */
public final class BundleStore {

    private final Path folder;
    private final String failWrite;

    public BundleStore(Path folder) throws IOException {
        this(folder, "");
    }

    /** @param failWrite test hook: "store" makes every new jar fail to write as on a full disk */
    public BundleStore(Path folder, String failWrite) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.failWrite = failWrite == null ? "" : failWrite;
    }

    /** Stores the bytes (if not there yet) and returns their digest. */
    public String put(byte[] jar) throws IOException {
        String hash = sha256(jar);
        Path target = path(hash);
        if (Files.exists(target)) {
            return hash;
        }
        Path temp = Files.createTempFile(folder, "incoming-", ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            Faults.failIfAsked(failWrite, "store");
            channel.write(java.nio.ByteBuffer.wrap(jar));
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceFolder(folder);
        return hash;
    }

    public boolean contains(String hash) {
        return hash != null && !hash.isEmpty() && Files.isRegularFile(path(hash));
    }

    public InputStream open(String hash) throws IOException {
        return Files.newInputStream(path(hash));
    }

    public byte[] read(String hash) throws IOException {
        return Files.readAllBytes(path(hash));
    }

    /**
     * Checks a stored jar against the digest it is stored under, since a disk or a hand can damage
     * it after it was written.
     *
     * @return empty when the jar is intact, else what is wrong with it, in a few words
     */
    Optional<String> damage(String hash) throws IOException {
        byte[] jar = read(hash);
        String actual = sha256(jar);
        if (actual.equals(hash)) {
            return Optional.empty();
        }
        return Optional.of((hasEndOfArchive(jar) ? "altered" : "truncated") + ": " + jar.length
                + " bytes whose sha256 is " + actual);
    }

    /** Whether the bytes end with a zip end-of-central-directory record, as every whole jar does. */
    private static boolean hasEndOfArchive(byte[] jar) {
        // The record is 22 bytes plus a comment of at most 65535 bytes, so it starts within the last 65557.
        for (int i = jar.length - 22; i >= 0 && i >= jar.length - 65557; i--) {
            if (jar[i] == 'P' && jar[i + 1] == 'K' && jar[i + 2] == 5 && jar[i + 3] == 6) {
                return true;
            }
        }
        return false;
    }

    Path path(String hash) {
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 digest: " + hash);
        }
        return folder.resolve(hash + ".jar");
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** A rename is durable only once the folder itself is forced (POSIX). */
    static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open folders; the rename stands, only less certainly.
        }
    }
}
