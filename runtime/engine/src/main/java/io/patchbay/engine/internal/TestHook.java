package io.patchbay.engine.internal;

import java.io.PrintStream;

/**
 * Test-only hooks for crash and fault tests. With the framework or system property
 * {@code patchbay.test.pauseAt} set to a journal step (spaces written as '-'), the engine stops
 * at that step, says so on the given stream, and waits to be killed; with
 * {@code patchbay.test.failWrite} set to {@code journal} or {@code store}, those writes fail as on
 * a full disk ({@code journal-after-begin}: journal writes fail once an operation has begun;
 * {@code bundle-cache}: writing a jar into the framework's bundle cache fails, read at each write
 * so a test can set it once a level is in place). Unset, they do nothing.
 */
final class TestHook {

    static final String PROPERTY = "patchbay.test.pauseAt";
    /** Fault injection: "journal" or "store"; that kind of write fails as on a full disk. */
    static final String FAIL_WRITE_PROPERTY = "patchbay.test.failWrite";
    static final String MARKER = "PATCHBAY-TEST-PAUSED-AT ";

    private TestHook() {
    }

    /** Throws what a full disk throws, when the test property names this kind of write. */
    static void failIfAsked(String failWrite, String what) throws java.io.IOException {
        if (what.equals(failWrite)) {
            throw new java.io.IOException("No space left on device (" + FAIL_WRITE_PROPERTY + "=" + what + ")");
        }
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
