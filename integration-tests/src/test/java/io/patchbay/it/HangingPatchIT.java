package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A signed patch whose activator never returns (policy 1.0.12), applied to the built distribution
 * through the HTTP API: the call answers within the activation timeout with one line naming the
 * bundle and what to do, the engine says it is busy and refuses more, the old policy still serves,
 * SIGTERM ends the process promptly, and the next start is back at level 0 with a working engine.
 */
class HangingPatchIT extends ProcessTest {

    static final String HANGS = "policy-activator-hangs.dp";
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

            assertTrue(runtime.terminateWithin(PROMPT_STOP), "SIGTERM ends the runtime within " + PROMPT_STOP
                    + "; stderr: " + runtime.err());
            assertTrue(runtime.err().contains("patchbay: stopping without waiting for the framework: io.patchbay.demo"
                    + ".policy 1.0.12 did not return from starting"), runtime.err());
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
}
