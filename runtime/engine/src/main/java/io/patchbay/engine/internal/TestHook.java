package io.patchbay.engine.internal;

import java.io.PrintStream;

/**
 * Test-only hook for crash tests: with the framework or system property
 * {@code patchbay.test.pauseAt} set to a journal step (spaces written as '-'), the engine stops
 * at that step, says so on the given stream, and waits to be killed. Unset, it does nothing.
 */
final class TestHook {

    static final String PROPERTY = "patchbay.test.pauseAt";
    static final String MARKER = "PATCHBAY-TEST-PAUSED-AT ";

    private TestHook() {
    }

    static void pauseIfAsked(String pauseAt, String step, PrintStream out) {
        String name = step.replace(' ', '-');
        if (pauseAt == null || pauseAt.isEmpty() || !name.startsWith(pauseAt)) {
            return;
        }
        out.println(MARKER + name);
        out.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
