package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console on the runtime's own terminal, typed at as an operator types: a real process on a
 * real pseudo-terminal. A typo, a failing command or Ctrl-C leaves the runtime running; it stops
 * only when the operator asks ({@code exit}, or Ctrl-D at an empty prompt), with status 0.
 */
class TerminalConsoleIT extends ProcessTest {

    static final String PROMPT = "patchbay> ";
    static final char CTRL_C = 3;
    static final char CTRL_D = 4;

    @Test
    void aSyntaxErrorAFailingCommandAndCtrlCLeaveTheRuntimeRunningUntilExit() throws Exception {
        try (RuntimeProcess runtime = startOnTerminal()) {
            // Gogo's own shell took this line for the end of input and stopped the runtime.
            enter(runtime, "} {\n", "Error: unexpected token '}'");
            assertRunning(runtime);

            enter(runtime, "no-such-command\n", "Error: Command not found: no-such-command");
            enter(runtime, "lb -s demo.policy\n", "io.patchbay.demo.policy (1.0.0)");

            // Ctrl-C interrupts the running command, not the runtime.
            type(runtime, "sleep 600000\n");
            Thread.sleep(500);
            enter(runtime, String.valueOf(CTRL_C), "Error: java.lang.InterruptedException");
            assertRunning(runtime);

            enter(runtime, "patch:status\n", "Patch level 0: initial bundle set");
            assertEquals("OFF", heater(runtime.port()), "the demo still answers");

            type(runtime, "exit\n");
            assertEquals(0, runtime.awaitExit(TIMEOUT), "exit is an orderly stop:\n" + runtime.out());
            assertTrue(runtime.out().contains("Stopping Patchbay..."), runtime.out());
            assertTrue(runtime.out().contains("Patchbay stopped."), runtime.out());
            assertFalse(runtime.out().contains("gosh: stopping framework"), runtime.out());
        }
    }

    @Test
    void ctrlDAtAnEmptyPromptStopsTheRuntime() throws Exception {
        try (RuntimeProcess runtime = startOnTerminal()) {
            enter(runtime, "lb -s demo.api\n", "io.patchbay.demo.api (1.0.0)");

            type(runtime, String.valueOf(CTRL_D));
            assertEquals(0, runtime.awaitExit(TIMEOUT), "Ctrl-D is an orderly stop:\n" + runtime.out());
            assertTrue(runtime.out().contains("Stopping Patchbay..."), runtime.out());
            assertTrue(runtime.out().contains("Patchbay stopped."), runtime.out());
        }
    }

    @Test
    void exitAfterAHangEndsTheRuntimePromptly() throws Exception {
        try (RuntimeProcess runtime = startOnTerminal()) {
            ApiClient.Response applied = ApiClient.of(runtime).post("/api/v1/patches?name=" + HangingPatchIT.HANGS,
                    PatchbayTestConfiguration.patch(HangingPatchIT.HANGS));
            assertEquals(422, applied.status(), applied.body());

            // The framework cannot stop the bundle whose activator runs on: exit still ends the process.
            type(runtime, "exit\n");
            assertEquals(1, runtime.awaitExit(HangingPatchIT.PROMPT_STOP), runtime.out());
            HangingPatchIT.assertOneLineWhy(runtime.out());
        }
    }

    /** The runtime on a terminal, once it serves HTTP and its console shows the prompt. */
    private RuntimeProcess startOnTerminal() throws Exception {
        int port = FreePort.pick();
        // The console keeps the operator's history in ~/.gogo.history: not in the real home.
        Map<String, String> environment = Map.of("TERM", "xterm", "PATCHBAY_OPTS", "-Duser.home=" + temp);
        RuntimeProcess runtime = RuntimeProcess.launchOnTerminal(temp.resolve("data"), port, logs, environment);
        try {
            Await.until("the runtime to serve /status on port " + port, RuntimeProcess.START_TIMEOUT, () -> {
                if (!runtime.isAlive()) {
                    throw new AssertionError("runtime exited: " + runtime.out() + runtime.err());
                }
                Http.Response response = Http.tryGet(port, "/status");
                return response != null && response.status() == 200;
            });
            awaitPrompts(runtime, 1);
        } catch (Throwable e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    private static void type(RuntimeProcess runtime, String keys) throws IOException {
        runtime.terminalInput().write(keys.getBytes(StandardCharsets.UTF_8));
        runtime.terminalInput().flush();
    }

    /**
     * Types keys at the prompt and waits until the terminal shows the text and then the prompt
     * again. Keys typed before the prompt is back can be lost, as at any terminal: a Ctrl-D typed
     * while a command still runs is the line discipline's, not the console's.
     */
    private static void enter(RuntimeProcess runtime, String keys, String text) throws Exception {
        int prompts = prompts(runtime.out());
        type(runtime, keys);
        Await.until("the terminal to show " + text, TIMEOUT, () -> {
            String shown = runtime.out();
            if (!runtime.isAlive()) {
                throw new AssertionError("runtime exited while waiting for " + text + ":\n" + shown);
            }
            int at = shown.lastIndexOf(text);
            return at >= 0 && shown.indexOf(PROMPT, at) >= 0 && prompts(shown) > prompts;
        });
    }

    private static void awaitPrompts(RuntimeProcess runtime, int count) throws Exception {
        Await.until(count + " console prompts", TIMEOUT, () -> {
            if (!runtime.isAlive()) {
                throw new AssertionError("runtime exited:\n" + runtime.out());
            }
            return prompts(runtime.out()) >= count;
        });
    }

    private static int prompts(String shown) {
        int count = 0;
        for (int at = shown.indexOf(PROMPT); at >= 0; at = shown.indexOf(PROMPT, at + 1)) {
            count++;
        }
        return count;
    }

    private static void assertRunning(RuntimeProcess runtime) throws Exception {
        assertTrue(runtime.isAlive(), runtime.out());
        assertEquals(200, Http.get(runtime.port(), "/status").status(), "the runtime still serves HTTP");
    }
}
