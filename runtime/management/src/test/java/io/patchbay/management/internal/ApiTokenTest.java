package io.patchbay.management.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {

    @TempDir
    Path data;

    @Test
    void isCreatedOwnerOnlyOnceAndKept() throws Exception {
        ApiToken first = ApiToken.loadOrCreate(data);
        Path file = data.resolve("api.token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String token = Files.readString(file).strip();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "256 bits, URL-safe: " + token);
        assertTrue(first.matches(token));
        assertFalse(first.matches(token + "x"));
        assertFalse(first.matches(null));
        assertTrue(first.id().matches("[0-9a-f]{8}"));
        assertFalse(token.contains(first.id()), "the id is a fingerprint, not part of the secret");

        ApiToken again = ApiToken.loadOrCreate(data);
        assertTrue(again.matches(token), "kept across restarts");
        assertEquals(first.id(), again.id());
        try (var files = Files.list(data)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aTokenFileOthersCanReadIsMadeOwnerOnlyAndOneWithoutATokenIsRefused() throws Exception {
        Path file = data.resolve("api.token");
        Files.writeString(file, "abcdefghijklmnopqrstuvwxyz012345\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(ApiToken.loadOrCreate(data).matches("abcdefghijklmnopqrstuvwxyz012345"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        Files.writeString(file, "not a token\n");
        assertTrue(assertThrows(java.io.IOException.class, () -> ApiToken.loadOrCreate(data)).getMessage()
                .endsWith("does not hold a token (22 to 512 URL-safe Base64 characters); delete it to have a new one made"));
    }
}
