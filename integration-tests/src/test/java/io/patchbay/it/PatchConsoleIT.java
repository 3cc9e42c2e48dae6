package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The patch commands against the built distribution as a real process: apply and roll back from
 * {@code console -c}, both surviving a restart; a refusal as a failed command with one line; and
 * crash recovery: the runtime killed (SIGKILL) at each journal step of a multi-bundle patch
 * restarts at the last committed level with the last committed bundle set.
 */
class PatchConsoleIT extends ProcessTest {


    @Test
    void applyAndRollbackFromTheConsoleSurviveRestarts() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        String fix = PatchbayTestConfiguration.patch("policy-fix.dp").toString();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            assertTrue(heater(port).equals("OFF"));
            RuntimeProcess.Result help = runtime.console(logs, "patch:apply --help");
            assertEquals(0, help.exitStatus(), help.err());
            assertTrue(help.out().startsWith("patch:apply - verify, plan, apply and health-check a patch"), help.out());
            assertTrue(help.out().contains("Usage: patch:apply [--dry-run] [--allow-downgrade] [--strategy VALUE] FILE"),
                    help.out());
            RuntimeProcess.Result wrongStrategy = runtime.console(logs, "patch:apply --strategy sideways " + fix);
            assertEquals("Error: unknown strategy 'sideways'; use one of auto, refresh, handover",
                    wrongStrategy.err().strip());
            RuntimeProcess.Result apply = runtime.console(logs, "patch:apply " + fix);
            assertEquals(0, apply.exitStatus(), apply.out() + apply.err());
            for (String stage : List.of("RECEIVE", "VERIFY", "PLAN", "APPLY", "HEALTH", "COMMIT")) {
                assertTrue(apply.out().contains("  " + stage + " "), apply.out());
            }
            assertTrue(apply.out().contains("Committed: the runtime is at level 1."), apply.out());
            Await.until("the fix to answer", TIMEOUT, () -> heater(port).equals("ON"));
            assertEquals(0, runtime.terminate());
        }
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            Await.until("the fix to answer after a restart", TIMEOUT, () -> heater(port).equals("ON"));
            RuntimeProcess.Result status = runtime.console(logs, "patch:status");
            assertTrue(status.out().startsWith("Patch level 1: apply io.patchbay.demo.policy-fix 1.0.0"), status.out());

            RuntimeProcess.Result rollback = runtime.console(logs, "patch:rollback");
            assertEquals(0, rollback.exitStatus(), rollback.out() + rollback.err());
            assertTrue(rollback.out().contains("Committed: the runtime is at level 2 (the bundles of level 0)."),
                    rollback.out());
            Await.until("the bug to be back", TIMEOUT, () -> heater(port).equals("OFF"));
            assertEquals(0, runtime.terminate());
        }
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            Await.until("the rollback to hold after a restart", TIMEOUT, () -> heater(port).equals("OFF"));
            RuntimeProcess.Result history = runtime.console(logs, "patch:history");
            assertEquals(0, history.exitStatus(), history.err());
            assertTrue(history.out().contains("apply"), history.out());
            assertTrue(history.out().contains("rollback"), history.out());
            assertTrue(history.out().contains("console:"), "who asked is recorded: " + history.out());
        }
    }

    /**
     * Two patches on different bundles, then {@code patch:rollback} with no level twice, once from
     * the console and once over HTTP: like an undo, the second goes back past the first rollback to
     * the bundles of level 0 instead of re-applying the second patch; then there is nothing left to
     * roll back. {@code patch:list}, {@code patch:history} and the API's levels show each level's
     * previous one.
     */
    @Test
    void twoRollbacksWithoutALevelGoBackTwoPatchesFromTheConsoleAndOverHttp() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            ApiClient api = ApiClient.of(runtime);
            for (String patch : List.of("policy-fix.dp", "control-fix.dp")) {
                RuntimeProcess.Result apply = runtime.console(logs, "patch:apply "
                        + PatchbayTestConfiguration.patch(patch));
                assertEquals(0, apply.exitStatus(), apply.out() + apply.err());
            }
            awaitActive(port, "after two patches", "1.0.1", "io.patchbay.demo.policy", "io.patchbay.demo.control");

            RuntimeProcess.Result first = runtime.console(logs, "patch:rollback");
            assertEquals(0, first.exitStatus(), first.out() + first.err());
            assertTrue(first.out().contains("Committed: the runtime is at level 3 (the bundles of level 1)."),
                    first.out());
            awaitActive(port, "after the first rollback", "1.0.1", "io.patchbay.demo.policy");
            awaitActive(port, "after the first rollback", "1.0.0", "io.patchbay.demo.control");

            ApiClient.Response second = api.send("POST", "/api/v1/rollback");
            assertEquals(200, second.status(), second.body());
            assertEquals(4, second.number("level"));
            assertEquals(0, second.number("restoredLevel"), "the level before the one the first rollback restored");
            awaitActive(port, "after the second rollback", "1.0.0", "io.patchbay.demo.policy",
                    "io.patchbay.demo.control");

            String nothingLeft = "the runtime is at level 4, which has the bundles of level 0; there is nothing to roll"
                    + " back";
            RuntimeProcess.Result third = runtime.console(logs, "patch:rollback");
            assertEquals(1, third.exitStatus(), third.out());
            assertEquals("Error: " + nothingLeft, third.err().strip());
            ApiClient.Response thirdOverHttp = api.send("POST", "/api/v1/rollback");
            assertEquals(422, thirdOverHttp.status(), thirdOverHttp.body());
            assertEquals(nothingLeft, thirdOverHttp.string("error"));

            // The level rows: current mark, LEVEL, COMMITTED (date and time), PREVIOUS, DESCRIPTION.
            List<String> levels = runtime.console(logs, "patch:list").out().lines()
                    .filter(l -> l.matches("[ *]\\d+ .*")).map(l -> l.substring(1).split("\\s+", 5))
                    .map(columns -> columns[3] + " " + columns[4]).toList();
            assertEquals(List.of("- initial bundle set", "0 apply io.patchbay.demo.policy-fix 1.0.0",
                    "1 apply io.patchbay.demo.control-fix 1.0.0", "0 rollback to level 1", "- rollback to level 0"),
                    levels);
            String history = runtime.console(logs, "patch:history").out();
            assertTrue(history.lines().anyMatch(l -> l.matches(".* rollback +level 1 .* committed +3 +0 +rollback to"
                    + " level 1")), history);
            String overHttp = api.get("/api/v1/patches").body();
            assertTrue(overHttp.contains("\"description\":\"rollback to level 1\""), overHttp);
            assertTrue(overHttp.matches("(?s).*\\{\"level\":3,\"description\":\"rollback to level 1\",\"committedAt\":"
                    + "\"[^\"]+\",\"previous\":0}.*"), overHttp);
        }
    }

    @Test
    void aRefusedPatchIsAFailedCommandWithOneLineAndChangesNothing() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            String before = runtime.console(logs, "lb -s").out();
            RuntimeProcess.Result refused = runtime.console(logs, "patch:apply "
                    + PatchbayTestConfiguration.patch("policy-fix-unsigned.dp"));
            assertEquals(1, refused.exitStatus());
            assertEquals("Error: patch policy-fix-unsigned.dp is not signed (entry bundles/io.patchbay.demo.policy-1.0.1.jar"
                    + " has no signature); unsigned patches are not allowed\n", refused.err().replaceAll("\\s+\\z", "\n")
                            .lines().filter(l -> l.startsWith("Error:")).findFirst().orElse(refused.err()) + "\n");
            RuntimeProcess.Result missing = runtime.console(logs, "patch:apply /nonexistent/patch.dp");
            assertEquals(1, missing.exitStatus());
            assertTrue(missing.err().contains("Error: patch file /nonexistent/patch.dp does not exist"), missing.err());
            assertEquals(before, runtime.console(logs, "lb -s").out());
            assertEquals("OFF", heater(port));
        }
    }

    /**
     * Kills the runtime at one journal step of the two-bundle appliance patch applied by strategy
     * refresh, and restarts it: before the level is recorded the patch is undone; once it is
     * recorded the patch stays.
     */
    @ParameterizedTest
    @ValueSource(strings = {"begin", "updated-io.patchbay.demo.policy", "updated-io.patchbay.demo.sensor", "refreshed",
        "started", "healthy", "level-recorded"})
    void aRuntimeKilledAtAnyJournalStepRestartsAtTheLastCommittedLevel(String step) throws Exception {
        assertKilledAndRecovered("--strategy refresh", step);
    }

    /**
     * The same for strategy handover, where for a while both versions of each bundle are
     * installed: the restart keeps exactly one, the one of the last committed level, active.
     */
    @ParameterizedTest
    @ValueSource(strings = {"installed-io.patchbay.demo.sensor", "started-the-new-versions", "stopped-the-old-versions",
        "uninstalled-the-old-versions", "refreshed", "level-recorded"})
    void aRuntimeKilledAtAnyStepOfAHandoverRestartsAtTheLastCommittedLevel(String step) throws Exception {
        assertKilledAndRecovered("--strategy handover", step);
    }

    private void assertKilledAndRecovered(String strategy, String step) throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        String patch = PatchbayTestConfiguration.patch("appliance-1.0.0.dp").toString();
        killWhilePaused(data, port, strategy + " " + patch, step);
        boolean committed = step.equals("level-recorded");
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertTrue(restarted.out().contains("was " + (committed ? "committed" : "rolled back") + " at start"),
                    restarted.out());
            String expected = committed ? "1.0.1" : "1.0.0";
            awaitActive(port, step, expected, "io.patchbay.demo.policy", "io.patchbay.demo.sensor");
            RuntimeProcess.Result level = restarted.console(logs, "patch:status");
            assertTrue(level.out().startsWith("Patch level " + (committed ? 1 : 0) + ":"), level.out());
            RuntimeProcess.Result lb = restarted.console(logs, "lb -s");
            assertFalse(lb.out().contains("Installed"), "no bundle left half-installed: " + lb.out());
            assertFalse(lb.out().contains("Resolved  "), "no bundle left stopped: " + lb.out());
            for (String bsn : List.of("io.patchbay.demo.policy", "io.patchbay.demo.sensor")) {
                assertEquals(1, lb.out().lines().filter(l -> l.contains("|" + bsn + " (")).count(),
                        "one version of " + bsn + ": " + lb.out());
            }
        }
    }

    /**
     * The disk fills up in the middle of a patch, once its intent is on disk: neither the steps nor
     * the undo can be journalled, so the command fails with one line and the operation stays open
     * in the journal; the next start, with room on the disk again, ends it at level 0.
     */
    @Test
    void aDiskThatFillsUpInTheMiddleOfAPatchIsRecoveredAtTheNextStart() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        String fix = PatchbayTestConfiguration.patch("policy-fix.dp").toString();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs,
                Map.of("PATCHBAY_OPTS", "-Dpatchbay.test.failWrite=journal-after-begin"))) {
            RuntimeProcess.Result apply = runtime.console(logs, "patch:apply " + fix);
            assertTrue(apply.exitStatus() != 0, apply.out());
            String error = apply.err().strip();
            assertTrue(error.startsWith("Error: ") && error.contains("No space left on device"), error);
            assertEquals(1, error.lines().count(), error);
            Await.until("the appliance to answer with policy 1.0.0", TIMEOUT, () -> heater(port).equals("OFF"));
            assertEquals(0, runtime.terminate());
        }
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertTrue(restarted.out().contains("was rolled back at start"), restarted.out());
            awaitActive(port, "after the disk filled up", "1.0.0", "io.patchbay.demo.policy");
            assertTrue(restarted.console(logs, "patch:status").out().startsWith("Patch level 0:"));
            RuntimeProcess.Result history = restarted.console(logs, "patch:history");
            assertTrue(history.out().contains("recovered"), history.out());
        }
    }

    /**
     * The runtime asked to stop (SIGTERM) while a patch is in the middle of its apply: it stops
     * within bounded time instead of waiting for the patch, and the next start undoes the patch.
     */
    @Test
    void aRuntimeStoppedInTheMiddleOfAPatchStopsInBoundedTimeAndTheNextStartUndoesIt() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        String patch = PatchbayTestConfiguration.patch("appliance-1.0.0.dp").toString();
        Path consoleOut = logs.resolve("stop-mid-patch-console.out");
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs,
                Map.of("PATCHBAY_OPTS", "-Dpatchbay.test.pauseAt=refreshed"))) {
            Process console = runtime.consoleInBackground("patch:apply --strategy refresh " + patch, consoleOut);
            Await.until("the patch to pause after the refresh", TIMEOUT,
                    () -> Files.readString(consoleOut).contains("PATCHBAY-TEST-PAUSED-AT refreshed"));
            long asked = System.nanoTime();
            assertEquals(0, runtime.terminate());
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - asked);
            assertTrue(seconds < 30, "stopped after " + seconds + " s");
            assertTrue(runtime.err().contains("a patch operation was still running"), runtime.err());
            assertTrue(console.waitFor(30, TimeUnit.SECONDS), "the console ends with the runtime");
        }
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertTrue(restarted.out().contains("was rolled back at start"), restarted.out());
            awaitActive(port, "after a stop in the middle of a patch", "1.0.0", "io.patchbay.demo.policy",
                    "io.patchbay.demo.sensor");
            assertTrue(restarted.console(logs, "patch:status").out().startsWith("Patch level 0:"));
        }
    }

    /**
     * Kills the runtime twice: in the middle of a patch, then in the middle of the recovery that
     * the next start runs. The third start still ends at level 0 with the bundles of level 0.
     */
    @Test
    void aRuntimeKilledDuringStartupRecoveryRecoversOnTheNextStart() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        killWhilePaused(data, port, "--strategy refresh " + PatchbayTestConfiguration.patch("appliance-1.0.0.dp"),
                "refreshed");
        try (RuntimeProcess recovering = RuntimeProcess.launch(data, port, logs,
                Map.of("PATCHBAY_OPTS", "-Dpatchbay.test.pauseAt=recovery:-updated"))) {
            Await.until("the recovery to pause", TIMEOUT, () -> recovering.out().contains("PATCHBAY-TEST-PAUSED-AT recovery:"));
            recovering.kill();
        }
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertTrue(restarted.out().contains("was rolled back at start"), restarted.out());
            awaitActive(port, "after recovery", "1.0.0", "io.patchbay.demo.policy", "io.patchbay.demo.sensor");
            assertTrue(restarted.console(logs, "patch:status").out().startsWith("Patch level 0:"));
        }
    }

    /**
     * Waits until {@code /status} shows each bundle at {@code version} and active. A bundle that a
     * handover installed has a higher id than the web bundle, so it may start after /status answers.
     */
    static void awaitActive(int port, String when, String version, String... symbolicNames) throws Exception {
        List<String> wanted = List.of(symbolicNames).stream().map(bsn -> "{\"symbolicName\":\"" + bsn
                + "\",\"version\":\"" + version + "\",\"state\":\"ACTIVE\"}").toList();
        try {
            Await.until(String.join(", ", symbolicNames) + " at " + version + " and active", TIMEOUT, () -> {
                String status = Http.get(port, "/status").body();
                return wanted.stream().allMatch(status::contains) ? status : null;
            });
        } catch (AssertionError e) {
            fail(when + ": " + Http.get(port, "/status").body());
        }
    }

    /**
     * Starts the runtime with the test hook that pauses at a journal step, applies a patch from the
     * console, and kills the runtime with SIGKILL once it is paused there.
     */
    static void killWhilePaused(Path data, int port, String applyArguments, String step) throws Exception {
        Path consoleOut = logs.resolve("crash-console-" + step.replace(':', '_') + ".out");
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs,
                Map.of("PATCHBAY_OPTS", "-Dpatchbay.test.pauseAt=" + step))) {
            Process console = runtime.consoleInBackground("patch:apply " + applyArguments, consoleOut);
            Await.until("the runtime to pause at " + step, TIMEOUT,
                    () -> Files.readString(consoleOut).contains("PATCHBAY-TEST-PAUSED-AT " + step));
            runtime.kill();
            assertTrue(console.waitFor(30, TimeUnit.SECONDS), "the console ends when the runtime dies");
        }
    }

    /**
     * Kills the runtime once the refresh of the policy fix has run: policy 1.0.1 is installed and the
     * apply never ends, so the next start's recovery puts 1.0.0 back from the store.
     */
    static void killMidwayThroughThePolicyFix(Path data, int port) throws Exception {
        killWhilePaused(data, port, "--strategy refresh " + PatchbayTestConfiguration.patch("policy-fix.dp"), "refreshed");
    }

    /**
     * Kills the runtime in the middle of an automatic rollback (a patch that fails its health
     * check): after the restart it is at level 0 with the bundles of level 0.
     */
    @ParameterizedTest
    @CsvSource({"refresh, rollback:-updated-io.patchbay.demo.policy", "refresh, rollback:-refreshed",
        "handover, rollback:-stopped-the-old-versions", "handover, rollback:-uninstalled-the-old-versions"})
    void aRuntimeKilledDuringARollbackRestartsAtTheLevelBeforeThePatch(String strategy, String step) throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        String patch = PatchbayTestConfiguration.patch("policy-unhealthy.dp").toString();
        killWhilePaused(data, port, "--strategy " + strategy + " " + patch, step);
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertTrue(restarted.out().contains("was rolled back at start"), restarted.out());
            awaitActive(port, step, "1.0.0", "io.patchbay.demo.policy");
            RuntimeProcess.Result level = restarted.console(logs, "patch:status");
            assertTrue(level.out().startsWith("Patch level 0:"), level.out());
            RuntimeProcess.Result history = restarted.console(logs, "patch:history");
            assertTrue(history.out().contains("recovered"), history.out());
        }
    }

}
