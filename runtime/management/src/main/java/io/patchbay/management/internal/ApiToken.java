package io.patchbay.management.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API's bearer token, kept in {@code <data>/api.token}: 256 random bits, URL-safe Base64.
 * Created on first use, owner-only from the moment it exists (written to an owner-only temporary
 * file, then renamed into place), and kept across restarts. A token file that others can read is
 * made owner-only again; one that does not hold a token is refused rather than replaced, since
 * an operator's scripts may depend on it.
 */
final class ApiToken {

    static final String FILE_NAME = "api.token";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{22,512}");

    private final byte[] secret;
    private final String id;

    private ApiToken(String token) {
        this.secret = token.getBytes(StandardCharsets.US_ASCII);
        this.id = HexFormat.of().formatHex(sha256(secret)).substring(0, 8);
    }

    /** @return the token in {@code folder/api.token}, created there if there is none */
    static ApiToken loadOrCreate(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            create(folder, file);
        }
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!FORMAT.matcher(token).matches()) {
            throw new IOException(file + " does not hold a token (22 to 512 URL-safe Base64 characters);"
                    + " delete it to have a new one made");
        }
        return new ApiToken(token);
    }

    private static void create(Path folder, Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, ".api.token", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(StandardCharsets.US_ASCII.encode(token + "\n"));
                channel.force(true);
            }
            // Renamed into place whole: a reader never sees half a token. No other process can
            // race this one: the launcher's lock gives the data folder one owner.
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Compares in time that does not depend on where the presented token differs. */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** @return a short, non-secret fingerprint for the journal: 8 hex digits of the token's SHA-256 */
    String id() {
        return id;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
