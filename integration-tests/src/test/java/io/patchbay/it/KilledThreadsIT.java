package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A runtime in which something killed the application's threads, the framework's among them: the
 * framework can no longer stop (its stop waits for its start-level thread), so SIGTERM must not
 * wait for it, and the next start is a normal one at the same level.
 */
class KilledThreadsIT extends ProcessTest {

    @Test
    void aRuntimeWhoseThreadsWereKilledStopsPromptlyOnSigtermAndStartsAgain() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        try (RuntimeProcess runtime = RuntimeProcess.start(data, port, logs)) {
            ThreadKiller.killThreadsOf(runtime.pid(), temp);
            assertTrue(runtime.terminateWithin(HangingPatchIT.PROMPT_STOP), "SIGTERM ends the runtime within "
                    + HangingPatchIT.PROMPT_STOP + "; stderr: " + runtime.err());
            assertTrue(runtime.err().contains("patchbay: stopping without waiting for the framework: the framework's"
                    + " start-level thread (FelixStartLevel) is gone"), runtime.err());
        }
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            ApiClient.Response status = ApiClient.of(restarted).get("/api/v1/status");
            assertEquals(0, status.number("level"), status.body());
            assertEquals("OFF", heater(port));
        }
    }
}
