package io.patchbay.management.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchUploadTest {

    @TempDir
    Path data;

    @Test
    void spoolsTheBodyUnderItsNameOwnerOnlyAndRemovesItOnClose() throws Exception {
        Path uploads = data.resolve("api-uploads");
        Path file;
        try (PatchUpload upload = PatchUpload.spool(uploads, "fix.dp", 5, body(5), 5)) {
            file = upload.file();
            assertEquals("fix.dp", file.getFileName().toString());
            assertEquals(5, Files.size(file));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(uploads)));
        }
        assertFalse(Files.exists(file.getParent()));
    }

    @Test
    void refusesABodyOverTheLimitDeclaredOrStreamedAndLeavesNothing() throws Exception {
        Path uploads = data.resolve("api-uploads");
        assertEquals(413, assertThrows(ApiError.class, () -> PatchUpload.spool(uploads, null, 6, body(6), 5)).status());
        ApiError streamed = assertThrows(ApiError.class, () -> PatchUpload.spool(uploads, null, -1, body(6), 5));
        assertEquals(413, streamed.status());
        assertEquals("the request body is larger than the limit of 5 bytes (configuration io.patchbay.management,"
                + " maxBodyBytes)", streamed.getMessage());
        try (var left = Files.list(uploads)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void refusesAnEmptyBodyAndANameThatIsNotAPlainFileName() {
        Path uploads = data.resolve("api-uploads");
        assertEquals(400, assertThrows(ApiError.class, () -> PatchUpload.spool(uploads, null, 0, body(0), 5)).status());
        for (String name : new String[] {"../x.dp", "a/b.dp", ".hidden", ""}) {
            assertEquals(400, assertThrows(ApiError.class, () -> PatchUpload.spool(uploads, name, 1, body(1), 5))
                    .status(), name);
        }
    }

    private static PatchUpload.Body body(int bytes) {
        return () -> new ByteArrayInputStream(new byte[bytes]);
    }
}
