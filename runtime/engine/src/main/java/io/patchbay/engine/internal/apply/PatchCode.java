package io.patchbay.engine.internal.apply;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

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
 * <p>A refresh ({@link #refresh}) runs the same code on the framework's own thread: it fails the
 * same way as soon as one bundle has stayed STARTING or STOPPING longer than the activation
 * timeout (a bundle waiting for lazy activation aside), and the framework's refresh is left
 * running. It fails with an {@link IllegalStateException} only if it has not finished after
 * {@value #REFRESH_TIMEOUT_SECONDS} s with no bundle stuck.
 *
 * <p>A timeout of 0 or less calls directly, without a bound, and a refresh then looks for no
 * stuck bundle (recovery at start, when no application bundle runs yet).
 */
public final class PatchCode {

    /** Longest grace after the interrupt, for code that returns when interrupted. */
    static final long GRACE_MILLIS = 1_000;
    /** Longest wait for a refresh in which no bundle is stuck: a closure of many slow bundles. */
    static final long REFRESH_TIMEOUT_SECONDS = 120;
    /** How often a refresh in progress is looked at for bundles stuck in STARTING or STOPPING. */
    static final long REFRESH_LOOK_MILLIS = 50;

    /** What can be called on a bundle. */
    interface Call {
        void run() throws BundleException;
    }

    /** A state a bundle was seen in during a refresh, and since when. */
    private record Transition(int state, long sinceNanos) {
    }

    private final long timeoutMillis;
    /** Bundle id to what it is still doing, for calls that did not return. */
    private final Map<Long, String> hung = new ConcurrentHashMap<>();

    public PatchCode(long timeoutMillis) {
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
            String message = hungMessage(name, doing, "");
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

    private String hungMessage(String name, String doing, String where) {
        return name + " did not return from " + doing + " within " + timeoutMillis + " ms" + where
                + " (its activator or a component's activate or deactivate method does not return)";
    }

    /**
     * Refreshes exactly these bundles (the framework adds their dependency closure) and waits.
     *
     * @throws PatchCodeHungException naming every bundle that stayed STARTING or STOPPING longer than
     *                                the activation timeout during the refresh
     */
    void refresh(BundleContext context, Collection<Bundle> bundles) throws Exception {
        BlockingQueue<FrameworkEvent> done = new ArrayBlockingQueue<>(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles, done::offer);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REFRESH_TIMEOUT_SECONDS);
        // Bundle id to the STARTING or STOPPING it is in; the framework holds the bundle meanwhile.
        Map<Long, Transition> inTransition = new HashMap<>();
        FrameworkEvent event;
        while ((event = done.poll(REFRESH_LOOK_MILLIS, TimeUnit.MILLISECONDS)) == null) {
            if (timeoutMillis > 0) {
                throwIfStuck(context, inTransition);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the framework did not finish refreshing within "
                        + REFRESH_TIMEOUT_SECONDS + " s");
            }
        }
        if (event.getType() == FrameworkEvent.ERROR) {
            throw new IllegalStateException("refresh failed: " + BundleSwapper.rootMessage(event.getThrowable()));
        }
    }

    private void throwIfStuck(BundleContext context, Map<Long, Transition> inTransition) throws PatchCodeHungException {
        long now = System.nanoTime();
        List<String> stuck = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            int state = bundle.getState();
            boolean lazy = state == Bundle.STARTING && String.valueOf(
                    bundle.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY)).startsWith(Constants.ACTIVATION_LAZY);
            if ((state != Bundle.STARTING && state != Bundle.STOPPING) || lazy) {
                inTransition.remove(bundle.getBundleId());
                continue;
            }
            Transition seen = inTransition.get(bundle.getBundleId());
            if (seen == null || seen.state() != state) {
                inTransition.put(bundle.getBundleId(), new Transition(state, now));
            } else if (now - seen.sinceNanos() > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
                String message = hungMessage(bundle.getSymbolicName() + " " + bundle.getVersion(),
                        state == Bundle.STARTING ? "starting" : "stopping", " while the framework refreshed");
                hung.put(bundle.getBundleId(), message);
                stuck.add(message);
            }
        }
        if (!stuck.isEmpty()) {
            throw new PatchCodeHungException(String.join("; ", stuck));
        }
    }

    /** @return whether a call into patch code is still running after its caller gave up on it */
    public boolean anyHung() {
        return !hung.isEmpty();
    }
}
