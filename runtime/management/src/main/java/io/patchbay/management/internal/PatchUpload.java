package io.patchbay.management.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A patch file sent as a request body, spooled to an owner-only folder of its own under
 * {@code <data>/api-uploads/} so the patch engine can read it like any other file. The size
 * limit holds twice: a declared {@code Content-Length} over it is refused before anything is
 * read, and a body without one stops being read at the first byte past it. Closing deletes the
 * file and its folder.
 */
final class PatchUpload implements AutoCloseable {

    static final String FOLDER = "api-uploads";
    static final String DEFAULT_NAME = "upload.dp";
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FOLDER =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Path folder;
    private final Path file;

    private PatchUpload(Path folder, Path file) {
        this.folder = folder;
        this.file = file;
    }

    /**
     * @param name          the file name the engine's messages and the journal show, or {@code null}
     * @param declaredBytes the request's Content-Length, or -1 when it has none
     */
    static PatchUpload spool(Path uploads, String name, long declaredBytes, Body body, long maxBytes)
            throws IOException, ApiError {
        String fileName = name == null ? DEFAULT_NAME : name;
        if (!NAME.matcher(fileName).matches()) {
            throw new ApiError(400, "query parameter 'name' must be a plain file name (letters, digits, '.', '_', '-';"
                    + " at most 100), not '" + Query.shortened(fileName) + "'");
        }
        if (declaredBytes > maxBytes) {
            throw tooLarge(maxBytes);
        }
        Path folder = Files.createTempDirectory(Files.createDirectories(uploads, OWNER_ONLY_FOLDER), "upload-",
                OWNER_ONLY_FOLDER);
        PatchUpload upload = new PatchUpload(folder, folder.resolve(fileName));
        try {
            Files.createFile(upload.file, PosixFilePermissions.asFileAttribute(ApiToken.OWNER_ONLY));
            long total;
            try (InputStream in = body.open()) {
                total = copy(in, upload.file, maxBytes);
            }
            if (total == 0) {
                throw new ApiError(400, "the request body is empty; send the patch file as the body"
                        + " (curl --data-binary @FILE)");
            }
            return upload;
        } catch (IOException | ApiError | RuntimeException e) {
            upload.close();
            throw e;
        }
    }

    /**
     * Opens the request body. Only after the checks: opening it is what makes the server answer
     * {@code Expect: 100-continue}, and a refused client should not send the body at all.
     */
    interface Body {
        InputStream open() throws IOException;
    }

    private static long copy(InputStream body, Path file, long maxBytes) throws IOException, ApiError {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            for (int n; (n = body.read(buffer)) >= 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    private static ApiError tooLarge(long maxBytes) {
        return new ApiError(413, "the request body is larger than the limit of " + maxBytes + " bytes"
                + " (configuration io.patchbay.management, maxBodyBytes)");
    }

    /** Removes what a stop or crash left in the uploads folder. */
    static void clean(Path uploads) throws IOException {
        if (!Files.isDirectory(uploads)) {
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(uploads)) {
            for (Path leftover : leftovers) {
                deleteTree(leftover);
            }
        }
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        deleteTree(folder);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
