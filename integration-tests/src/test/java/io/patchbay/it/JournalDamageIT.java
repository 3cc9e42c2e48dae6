package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.patchbay.journal.JournalFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A journal damaged in the middle, as the built distribution meets it: the start is refused with
 * exit status 3 and one line naming the file, the line and the way out, before any application
 * bundle runs; {@code patchbay journal check} shows the damage; {@code patchbay journal repair}
 * keeps the records before it; and the next start runs the bundles of the level they hold, even
 * where the dropped records had changed them.
 */
class JournalDamageIT extends ProcessTest {

    private static final String POLICY = "io.patchbay.demo.policy";

    @Test
    void aJournalDamagedInTheMiddleStopsTheStartAndTheRepairedOneStartsAtTheKeptLevel() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            RuntimeProcess.Result apply = runtime.console(logs, "patch:apply "
                    + PatchbayTestConfiguration.patch("policy-fix.dp"));
            assertEquals(0, apply.exitStatus(), apply.out() + apply.err());
            Await.until("the fix to answer", TIMEOUT, () -> heater(port).equals("ON"));
            assertEquals(0, runtime.terminate());
        }
        int line = damageTheFirstIntent(data);

        assertStartRefusedAt(data, port, line);
        assertRepairedAt(data, line);

        try (RuntimeProcess repaired = RuntimeProcess.start(data, port, logs)) {
            assertTrue(repaired.out().contains("the journal was repaired; the bundles were brought back to level 0"),
                    repaired.out());
            PatchConsoleIT.awaitActive(port, "after the repair", "1.0.0", POLICY);
            assertEquals("OFF", heater(port), "policy 1.0.0 (of level 0) answers, not the fix the dropped records applied");
            assertTrue(repaired.console(logs, "patch:status").out().startsWith("Patch level 0:"));
            assertTrue(repaired.console(logs, "patch:history").out().contains("journal repair"));
        }
    }

    /**
     * The runtime killed in the middle of a handover (both versions of the policy installed and
     * started), then its journal damaged: no start runs both versions; after the repair exactly one,
     * the level's, runs.
     */
    @Test
    void aHandoverKilledMidwayOnADamagedJournalNeverRunsBothVersions() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        PatchConsoleIT.killWhilePaused(data, port, "--strategy handover "
                + PatchbayTestConfiguration.patch("policy-fix.dp"), "started-the-new-versions");
        int line = damageTheFirstIntent(data);

        assertStartRefusedAt(data, port, line);
        assertRepairedAt(data, line);

        try (RuntimeProcess repaired = RuntimeProcess.start(data, port, logs)) {
            PatchConsoleIT.awaitActive(port, "after the repair", "1.0.0", POLICY);
            RuntimeProcess.Result lb = repaired.console(logs, "lb -s");
            assertEquals(1, lb.out().lines().filter(l -> l.contains("|" + POLICY + " (")).count(),
                    "one version of the policy: " + lb.out());
            assertEquals("OFF", heater(port));
        }
    }

    /**
     * A power cut can save the last record's newline but not its middle (its pages written out of
     * order): that record is the append the crash cut short, so the start recovers as after any
     * crash instead of refusing the journal.
     */
    @Test
    void aGarbledLastRecordIsCutOffAndTheStartRecoversAsAfterACrash() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        PatchConsoleIT.killMidwayThroughThePolicyFix(data, port);
        Path journal = data.resolve("patchbay/journal.log");
        byte[] bytes = Files.readAllBytes(journal);
        int end = bytes.length - 1;
        assertEquals('\n', bytes[end], "the last record is complete");
        int start = end - 1;
        while (bytes[start - 1] != '\n') {
            start--;
        }
        Arrays.fill(bytes, (start + end) / 2 - 4, (start + end) / 2 + 4, (byte) 0);
        Files.write(journal, bytes);

        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertTrue(restarted.out().contains("was rolled back at start"), restarted.out());
            PatchConsoleIT.awaitActive(port, "after the garbled record was cut off", "1.0.0", POLICY);
            assertTrue(restarted.console(logs, "patch:status").out().startsWith("Patch level 0:"));
        }
    }

    /**
     * The repair's backup is the only copy of the records it drops, so it is on disk (its bytes and
     * its name in the folder) before the rename replaces the journal: seen in the system calls of
     * {@code patchbay journal repair}, traced by strace.
     */
    @Test
    void theRepairForcesTheBackupToDiskBeforeItReplacesTheJournal() throws Exception {
        needs(straceRuns(), "needs strace, allowed to trace, to see the repair's system calls");
        Path data = temp.resolve("data");
        Path journal = data.resolve("patchbay/journal.log");
        Files.createDirectories(journal.getParent());
        Files.writeString(journal, JournalFormat.line("LEVEL|level=0") + JournalFormat.line("BEGIN|id=1")
                .replace("id=1", "id=7") + JournalFormat.line("END|id=1"));
        Path trace = logs.resolve("repair-" + System.nanoTime() + ".strace");

        RuntimeProcess.Result repair = RuntimeProcess.run(List.of("strace", "-f", "-y", "-o", trace.toString(), "-e",
                "trace=fsync,fdatasync,rename,renameat,renameat2"), logs, "journal", "repair", "--data",
                data.toString(), "--keep-before", "2");
        assertEquals(0, repair.exitStatus(), repair.out() + repair.err());

        List<String> calls = Files.readAllLines(trace).stream()
                .filter(call -> call.contains("fsync(") || call.contains("rename")).toList();
        int replaced = indexOf(calls, call -> call.contains("rename") && call.contains("journal.log.repairing"));
        int backupForced = indexOf(calls, call -> call.contains("fsync(") && call.contains("journal.log.damaged-"));
        int folderForced = indexOf(calls, call -> call.contains("fsync(") && call.contains("/patchbay>"));
        assertTrue(replaced >= 0, "the journal was replaced by a rename: " + calls);
        assertTrue(backupForced >= 0 && backupForced < replaced, "the backup's bytes forced before the rename: " + calls);
        assertTrue(folderForced > backupForced && folderForced < replaced,
                "the backup's name forced (its folder) before the rename: " + calls);
    }

    private static boolean straceRuns() {
        try {
            Process probe = new ProcessBuilder("strace", "-o", "/dev/null", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int indexOf(List<String> lines, Predicate<String> matches) {
        for (int i = 0; i < lines.size(); i++) {
            if (matches.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Changes one byte in the middle of the journal's first BEGIN record; returns its line number. */
    private static int damageTheFirstIntent(Path data) throws Exception {
        Path journal = data.resolve("patchbay/journal.log");
        byte[] bytes = Files.readAllBytes(journal);
        int start = 0;
        int line = 1;
        while (!new String(bytes, start, Math.min(6, bytes.length - start)).equals("BEGIN|")) {
            start = indexOfNewline(bytes, start) + 1;
            line++;
        }
        int end = indexOfNewline(bytes, start);
        assertTrue(end + 1 < bytes.length, "the damaged record is not the last one");
        int middle = (start + end) / 2;
        bytes[middle] = (byte) (bytes[middle] == 'x' ? 'y' : 'x');
        Files.write(journal, bytes);
        return line;
    }

    private static int indexOfNewline(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        throw new AssertionError("no complete line from byte " + from);
    }

    private static void assertStartRefusedAt(Path data, int port, int line) throws Exception {
        Path journal = data.resolve("patchbay/journal.log");
        byte[] before = Files.readAllBytes(journal);
        try (RuntimeProcess refused = RuntimeProcess.launch(data, port, logs, Map.of())) {
            assertEquals(3, refused.awaitExit(Duration.ofSeconds(60)), refused.out() + refused.err());
            List<String> err = refused.err().strip().lines().toList();
            assertEquals(1, err.size(), refused.err());
            assertTrue(err.get(0).startsWith("patchbay: journal " + journal + " is damaged at line " + line + " "),
                    err.get(0));
            assertTrue(err.get(0).endsWith("'patchbay journal repair --data " + data + " --keep-before " + line + "'"),
                    err.get(0));
            assertFalse(refused.out().contains("Patchbay started"), refused.out());
            assertNull(Http.tryGet(port, "/status"), "the application must not have started");
        }
        assertArrayEquals(before, Files.readAllBytes(journal), "a refused start changes nothing");

        RuntimeProcess.Result check = RuntimeProcess.run(logs, "journal", "check", "--data", data.toString());
        assertEquals(3, check.exitStatus(), check.out() + check.err());
        assertTrue(check.out().startsWith("journal " + journal + " is damaged at line " + line + " "), check.out());
        assertTrue(check.out().contains("the last level they hold is 0"), check.out());
    }

    private static void assertRepairedAt(Path data, int line) throws Exception {
        RuntimeProcess.Result repair = RuntimeProcess.run(logs, "journal", "repair", "--data", data.toString(),
                "--keep-before", Integer.toString(line));
        assertEquals(0, repair.exitStatus(), repair.out() + repair.err());
        assertTrue(repair.out().contains("The next start brings the bundles back to level 0"), repair.out());
        try (var files = Files.list(data.resolve("patchbay"))) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("journal.log.damaged-")).count(),
                    "the damaged journal is kept beside the repaired one");
        }
    }
}
