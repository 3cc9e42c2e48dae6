package io.patchbay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {

    @TempDir
    Path temp;

    @Test
    void createsAnOwnerOnlyFolderAndRecordsTheOwnerOnlyWhenAsked() throws Exception {
        Path root = temp.resolve("data");
        try (DataFolder data = DataFolder.open(root)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
            assertEquals("", Files.readString(root.resolve(DataFolder.LOCK_FILE)), "nothing written before the start is sure");
            data.recordOwner();
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(root.resolve(DataFolder.LOCK_FILE)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.runFolder())));
        }
    }

    @Test
    void aSecondOpenOfAHeldFolderIsRefusedWithTheOwnersPid() throws Exception {
        Path root = temp.resolve("data");
        try (DataFolder first = DataFolder.open(root)) {
            first.recordOwner();
            LaunchException e = assertThrows(LaunchException.class, () -> DataFolder.open(root));
            assertEquals(LaunchException.ENVIRONMENT, e.exitStatus());
            assertEquals("data folder " + root + " is in use by a running instance (pid "
                    + ProcessHandle.current().pid() + ")", e.getMessage());
        }
        // Released on close: the next owner gets it.
        try (DataFolder again = DataFolder.open(root)) {
            assertTrue(Files.isDirectory(again.root()));
        }
    }

    @Test
    void aFileIsNotADataFolder() throws Exception {
        Path file = Files.writeString(temp.resolve("file"), "x");
        LaunchException e = assertThrows(LaunchException.class, () -> DataFolder.open(file));
        assertEquals("data folder " + file + " is not a directory", e.getMessage());
        assertEquals("x", Files.readString(file));
    }
}
