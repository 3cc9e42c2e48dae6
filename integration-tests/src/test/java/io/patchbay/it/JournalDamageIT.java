package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
