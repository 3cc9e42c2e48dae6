package io.patchbay.it;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls until a condition holds, or fails with what was awaited: no fixed sleeps in tests. */
public final class Await {

    private Await() {
    }

    public static <T> T until(String what, Duration timeout, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = null;
        while (true) {
            T value = probe.call();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            last = value;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + " (last: " + last + ")");
            }
            Thread.sleep(50);
        }
    }
}
