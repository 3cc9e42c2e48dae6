package io.patchbay.engine.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * Calls into code a patch brought (start, stop, update and uninstall run a bundle's activator and
 * its components' activate and deactivate methods) with a bound: each call runs on a thread of
 * its own and the caller waits at most the activation timeout. A call still running then is
 * interrupted and given a short grace; if it still has not returned, the caller gets a
 * {@link PatchCodeHungException} and the call is left running on its daemon thread, which never
 * keeps the JVM alive. The framework keeps such a bundle locked (STARTING or STOPPING) for as long
 * as that code runs, so every later call on the same bundle fails at once with the same exception
 * instead of waiting for the lock.
 *
 * <p>A timeout of 0 or less calls directly, without a bound (recovery at start, when no
 * application bundle runs yet).
 */
final class PatchCode {

    /** Longest grace after the interrupt, for code that returns when interrupted. */
    static final long GRACE_MILLIS = 1_000;

    /** What can be called on a bundle. */
    interface Call {
        void run() throws BundleException;
    }

    private final long timeoutMillis;
    /** Bundle id to what it is still doing, for calls that did not return. */
    private final Map<Long, String> hung = new ConcurrentHashMap<>();

    PatchCode(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * @param doing what the call does, as a verb in -ing form: "starting", "stopping", "updating"
     * @throws PatchCodeHungException when it did not return within the activation timeout, or an
     *                                earlier call on the same bundle has not returned yet
     */
    void call(Bundle bundle, String doing, Call call) throws BundleException, PatchCodeHungException {
        String still = hung.get(bundle.getBundleId());
        if (still != null) {
            throw new PatchCodeHungException(still);
        }
        if (timeoutMillis <= 0) {
            call.run();
            return;
        }
        String name = bundle.getSymbolicName() + " " + bundle.getVersion();
        FutureTask<Void> task = new FutureTask<>(() -> {
            call.run();
            return null;
        });
        Thread thread = new Thread(task, "patchbay: " + doing + " " + name);
        thread.setDaemon(true);
        thread.start();
        try {
            try {
                task.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                thread.interrupt();
                task.get(Math.min(GRACE_MILLIS, timeoutMillis), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            String message = name + " did not return from " + doing + " within " + timeoutMillis
                    + " ms (its activator or a component's activate or deactivate method does not return)";
            hung.put(bundle.getBundleId(), message);
            throw new PatchCodeHungException(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleException(doing + " " + name + " was interrupted", BundleException.STATECHANGE_ERROR, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BundleException bundleException) {
                throw bundleException;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new BundleException(doing + " " + name + " failed", e.getCause());
        }
    }

    /** @return whether a call into patch code is still running after its caller gave up on it */
    boolean anyHung() {
        return !hung.isEmpty();
    }
}
