package io.patchbay.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.patchbay.journal.JournalFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalCommandTest {

    @TempDir
    Path data;

    private Path journal;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void fourRecordsWithTheThirdDamaged() throws Exception {
        journal = JournalFormat.in(data);
        Files.createDirectories(journal.getParent());
        String text = JournalFormat.line("LEVEL|level=0") + JournalFormat.line("BEGIN|id=1")
                + JournalFormat.line("LEVEL|level=1") + JournalFormat.line("END|id=1");
        Files.writeString(journal, text.replace("LEVEL|level=1", "LEVEL|level=7"));
    }

    @Test
    void aStartIsRefusedWithOneLineNamingTheFileTheLineAndTheWayOut() throws Exception {
        byte[] before = Files.readAllBytes(journal);
        LaunchException e = assertThrows(LaunchException.class, () -> JournalCommand.requireReadable(data));
        assertEquals(LaunchException.ENVIRONMENT, e.exitStatus());
        assertEquals("journal " + journal + " is damaged at line 3 (its checksum does not match), so the runtime"
                + " does not start on it; see the damage with 'patchbay journal check --data " + data + "', keep the"
                + " records before it with 'patchbay journal repair --data " + data + " --keep-before 3'", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(journal));
    }

    @Test
    void aReadableOrMissingJournalAllowsTheStart() throws Exception {
        Files.writeString(journal, JournalFormat.line("LEVEL|level=0") + "LEVEL|level=1|cr");
        JournalCommand.requireReadable(data);
        Files.delete(journal);
        JournalCommand.requireReadable(data);
    }

    /** A power cut can save the last append's newline but not its middle; the start recovers as after any crash. */
    @Test
    void aLastRecordWithItsNewlineButABadChecksumIsATornAppendAndAllowsTheStart() throws Exception {
        Files.writeString(journal, JournalFormat.line("LEVEL|level=0")
                + JournalFormat.line("BEGIN|id=1").replace("id=1", "id=\0"));
        byte[] before = Files.readAllBytes(journal);
        JournalCommand.requireReadable(data);
        assertEquals(0, JournalCommand.run(List.of("check", "--data", data.toString()), out()));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("it ends in a torn record"), printed.toString());
        assertArrayEquals(before, Files.readAllBytes(journal), "the launcher leaves the cut to the engine");
    }

    @Test
    void checkShowsTheDamageAndWhatARepairWouldDrop() throws Exception {
        assertEquals(LaunchException.ENVIRONMENT, JournalCommand.run(List.of("check", "--data", data.toString()), out()));
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("journal " + journal + " is damaged at line 3 (byte "), text);
        assertTrue(text.contains("  damaged line: LEVEL|level=7|crc="), text);
        assertTrue(text.contains("  before it: 2 records, intact, the last level they hold is 0"), text);
        assertTrue(text.contains("the damaged line and 1 more (1 of them intact) would be dropped"), text);
        assertTrue(text.contains("patchbay journal repair --data " + data + " --keep-before 3"), text);
    }

    @Test
    void repairKeepsTheRecordsBeforeTheDamageAndTheDamagedFileBesideIt() throws Exception {
        byte[] damaged = Files.readAllBytes(journal);
        assertEquals(0, JournalCommand.run(List.of("repair", "--data", data.toString(), "--keep-before", "3"), out()));

        List<String> bodies = new ArrayList<>();
        JournalFormat.Scan scan = JournalFormat.scan(Files.readAllBytes(journal), (line, offset, body) -> bodies.add(body));
        assertEquals(3, scan.records(), bodies.toString());
        assertEquals(List.of("LEVEL|level=0", "BEGIN|id=1"), bodies.subList(0, 2));
        assertTrue(bodies.get(2).startsWith(JournalFormat.REPAIRED + "|"), bodies.get(2));
        assertTrue(bodies.get(2).contains("|line=3|kept=2|"), bodies.get(2));
        try (Stream<Path> files = Files.list(journal.getParent())) {
            Path backup = files.filter(f -> f.getFileName().toString().startsWith("journal.log.damaged-"))
                    .findFirst().orElseThrow();
            assertArrayEquals(damaged, Files.readAllBytes(backup));
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("kept the 2 records before line 3 and dropped 2 lines"), text);
        assertTrue(text.contains("The next start brings the bundles back to level 0"), text);
        JournalCommand.requireReadable(data);
    }

    @Test
    void repairRefusesAnotherLineThanTheDamagedOneAndChangesNothing() throws Exception {
        byte[] before = Files.readAllBytes(journal);
        LaunchException e = assertThrows(LaunchException.class,
                () -> JournalCommand.run(List.of("repair", "--data", data.toString(), "--keep-before", "2"), out()));
        assertEquals(LaunchException.USAGE, e.exitStatus());
        assertTrue(e.getMessage().startsWith("journal " + journal + " is damaged at line 3, not at line 2;"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(journal));
        try (Stream<Path> files = Files.list(journal.getParent())) {
            assertEquals(1, files.count(), "no backup, no temporary file");
        }
    }

    @Test
    void repairRefusesWhileARuntimeOwnsTheDataFolder() throws Exception {
        byte[] before = Files.readAllBytes(journal);
        try (DataFolder owner = DataFolder.open(data)) {
            LaunchException e = assertThrows(LaunchException.class,
                    () -> JournalCommand.run(List.of("repair", "--data", data.toString(), "--keep-before", "3"), out()));
            assertEquals(LaunchException.ENVIRONMENT, e.exitStatus());
            assertTrue(e.getMessage().contains("is in use by a running instance"), e.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(journal));
    }

    @Test
    void repairNeedsTheLineToKeepBefore() {
        LaunchException e = assertThrows(LaunchException.class,
                () -> JournalCommand.run(List.of("repair", "--data", data.toString()), out()));
        assertEquals(LaunchException.USAGE, e.exitStatus());
        assertTrue(e.getMessage().startsWith("journal repair needs --keep-before LINE"), e.getMessage());
    }

    private PrintStream out() {
        return new PrintStream(printed, true, StandardCharsets.UTF_8);
    }
}
