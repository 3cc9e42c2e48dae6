package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A signed patch whose activator never returns (policy 1.0.12), applied to the built distribution
 * through the HTTP API: the call answers within the activation timeout with one line naming the
 * bundle and what to do, the engine says it is busy and refuses more, the old policy still serves,
 * SIGTERM ends the process promptly, and the next start is back at level 0 with a working engine.
 * The same for code the framework runs while it refreshes, and for a stop asked from a console.
 */
class HangingPatchIT extends ProcessTest {

    static final String HANGS = "policy-activator-hangs.dp";
    static final String STOP_HANGS = "policy-stop-hangs.dp";
    /**
     * Far more than the second or two a stop takes, far less than the 30 s the launcher gives a
     * framework that is stopping: a stop that waits for the hanging bundle cannot pass.
     */
    static final Duration PROMPT_STOP = Duration.ofSeconds(10);

    @Test
    void anActivatorThatNeverReturnsIsLeftToRecoveryAndTheRuntimeStillAnswersAndStops() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            ApiClient api = ApiClient.of(runtime);
            // The client gives up after 60 s; the engine's activation timeout is 10 s.
            ApiClient.Response applied = api.post("/api/v1/patches?name=" + HANGS, PatchbayTestConfiguration.patch(HANGS));
            assertEquals(422, applied.status(), applied.body());
            String error = applied.string("error");
            assertFalse(error.contains("\n"), error);
            assertTrue(error.startsWith("io.patchbay.demo.policy 1.0.12 did not return from starting within 10000 ms"),
                    error);
            assertTrue(error.endsWith("restart the runtime, which returns it to level 0"), error);

            ApiClient.Response status = api.get("/api/v1/status");
            assertTrue(status.body().contains("\"busy\":true"), status.body());
            assertEquals(0, status.number("level"));
            assertEquals("OFF", heater(port), "policy 1.0.0 still serves, with its bug");
            ApiClient.Response again = api.post("/api/v1/patches?name=policy-fix.dp",
                    PatchbayTestConfiguration.patch("policy-fix.dp"));
            assertEquals(409, again.status(), again.body());
            assertTrue(again.string("error").startsWith("refused until the runtime is restarted: an earlier operation"
                    + " was left to recovery: io.patchbay.demo.policy 1.0.12 did not return"), again.body());
            RuntimeProcess.Result console = runtime.console(logs, "patch:status");
            assertTrue(console.out().contains("Busy: yes"), console.out());

            // The watched folder tries a refused patch again at every look; the journal records
            // that refusal once. The second file is claimed only after the first was tried again.
            Path incoming = runtime.data().resolve("patches/incoming");
            Path journal = runtime.data().resolve("patchbay/journal.log");
            for (String name : List.of("dropped-first.dp", "dropped-second.dp")) {
                Files.copy(PatchbayTestConfiguration.patch("policy-fix.dp"), incoming.resolve(name + ".part"));
                Files.move(incoming.resolve(name + ".part"), incoming.resolve(name));
                Await.until(name + " to be refused", TIMEOUT, () -> refusals(journal, name) > 0);
            }
            assertEquals(1, refusals(journal, "dropped-first.dp"), Files.readString(journal));
            // Taken out again, as an operator would: the next start would apply them.
            for (String name : List.of("dropped-first.dp", "dropped-second.dp")) {
                Files.delete(runtime.data().resolve("patches/processing").resolve(name));
            }

            assertSigtermEndsItPromptly(runtime, "io.patchbay.demo.policy 1.0.12 did not return from starting");
        }
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertTrue(restarted.out().contains("Patchbay: an interrupted apply of io.patchbay.demo.policy-activator-hangs 1.0.0"
                    + " was rolled back at start; the runtime is at level 0."), restarted.out());
            ApiClient api = ApiClient.of(restarted);
            ApiClient.Response status = api.get("/api/v1/status");
            assertTrue(status.body().contains("\"busy\":false"), status.body());
            assertTrue(status.body().contains("{\"symbolicName\":\"io.patchbay.demo.policy\",\"version\":\"1.0.0\"}"),
                    status.body());
            String bundles = api.get("/api/v1/bundles").body();
            assertFalse(bundles.contains("\"version\":\"1.0.12\""), bundles);
            assertEquals("OFF", heater(port));
            ApiClient.Response fix = api.post("/api/v1/patches?name=policy-fix.dp",
                    PatchbayTestConfiguration.patch("policy-fix.dp"));
            assertEquals(200, fix.status(), fix.body());
            assertEquals("COMMITTED", fix.string("result"));
            Await.until("the fix to answer", TIMEOUT, () -> heater(port).equals("ON"));
        }
    }

    /**
     * A bundle whose stop() never returns (policy 1.0.13, applied as level 1), then a patch of the
     * API every demo bundle is wired to: the framework's refresh stops that bundle on its own thread.
     * The apply answers within about the activation timeout, naming it; SIGTERM ends the runtime
     * promptly and the next start is back at level 1.
     */
    @Test
    void aRefreshThatStopsABundleWhoseStopNeverReturnsIsLeftToRecovery() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            ApiClient api = ApiClient.of(runtime);
            ApiClient.Response level1 = api.post("/api/v1/patches?name=" + STOP_HANGS,
                    PatchbayTestConfiguration.patch(STOP_HANGS));
            assertEquals("COMMITTED", level1.string("result"), level1.body());

            // The client gives up after 60 s; the framework's own refresh timeout is 120 s.
            ApiClient.Response applied = api.post("/api/v1/patches?name=api-rebuilt.dp",
                    PatchbayTestConfiguration.patch("api-rebuilt.dp"));
            assertEquals(422, applied.status(), applied.body());
            String error = applied.string("error");
            assertFalse(error.contains("\n"), error);
            assertTrue(error.startsWith("io.patchbay.demo.policy 1.0.13 did not return from stopping within 10000 ms"
                    + " while the framework refreshed"), error);
            assertTrue(error.endsWith("restart the runtime, which returns it to level 1"), error);
            ApiClient.Response status = api.get("/api/v1/status");
            assertTrue(status.body().contains("\"busy\":true"), status.body());
            assertEquals(1, status.number("level"));

            assertSigtermEndsItPromptly(runtime, "io.patchbay.demo.policy 1.0.13 did not return from stopping");
        }
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertTrue(restarted.out().contains("Patchbay: an interrupted apply of io.patchbay.demo.api-rebuilt 1.0.0"
                    + " was rolled back at start; the runtime is at level 1."), restarted.out());
            ApiClient.Response status = ApiClient.of(restarted).get("/api/v1/status");
            assertTrue(status.body().contains("\"busy\":false"), status.body());
            assertEquals(1, status.number("level"), status.body());
            String bundles = ApiClient.of(restarted).get("/api/v1/bundles").body();
            assertFalse(bundles.contains("\"version\":\"1.0.2\""), bundles);
            assertEquals("ON", heater(port), "policy 1.0.13 serves, with 1.0.1's fix");
            // Its stop() never returns, so an orderly stop would wait for the launcher's 30 s.
            restarted.kill();
        }
    }

    /**
     * After an operation was left to recovery, {@code stop 0} from an attached console (as
     * {@code exit} on the runtime's own terminal) cannot stop the framework: the process ends
     * promptly all the same, with one line saying why.
     */
    @Test
    void stopFromAnAttachedConsoleEndsTheRuntimePromptlyAfterAHang() throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start(temp.resolve("data"), FreePort.pick(), logs)) {
            ApiClient.Response applied = ApiClient.of(runtime).post("/api/v1/patches?name=" + HANGS,
                    PatchbayTestConfiguration.patch(HANGS));
            assertEquals(422, applied.status(), applied.body());

            runtime.console(logs, "stop 0");
            assertEquals(1, runtime.awaitExit(PROMPT_STOP), runtime.err());
            assertOneLineWhy(runtime.err());
        }
    }

    /** The launcher's line when it ends the process without the framework having stopped. */
    static void assertOneLineWhy(String output) {
        String why = "patchbay: stopping without waiting for the framework: io.patchbay.demo.policy 1.0.12 did not"
                + " return from starting within 10000 ms";
        int at = output.indexOf(why);
        assertTrue(at >= 0, output);
        String line = output.substring(at).lines().findFirst().orElseThrow();
        assertTrue(line.endsWith("restart the runtime, which returns it to level 0"), output);
    }

    private static void assertSigtermEndsItPromptly(RuntimeProcess runtime, String hung) throws Exception {
        assertTrue(runtime.terminateWithin(PROMPT_STOP), "SIGTERM ends the runtime within " + PROMPT_STOP
                + "; stderr: " + runtime.err());
        assertTrue(runtime.err().contains("patchbay: stopping without waiting for the framework: " + hung),
                runtime.err());
    }

    private static long refusals(Path journal, String subject) throws Exception {
        return Files.readAllLines(journal).stream()
                .filter(line -> line.contains("REFUSED") && line.contains(subject))
                .count();
    }
}
