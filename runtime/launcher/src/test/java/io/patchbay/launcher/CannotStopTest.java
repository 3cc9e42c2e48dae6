package io.patchbay.launcher;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * The launcher's judgement that a stopping framework can never finish, taken at the worst moment
 * of an orderly stop: the start-level thread lowers the level to 0 and ends just after the level
 * was read. That is no killed thread (seen as a flaky {@code exit} that ended with status 1).
 */
class CannotStopTest {

    @Test
    void aStartLevelThreadThatEndsRightAfterLoweringTheLevelIsNotTakenForAKilledOne() throws Exception {
        StartLevelThread thread = new StartLevelThread();
        thread.start();
        // The level read ends the thread before it answers: whoever reads the level first and
        // looks for the thread afterwards finds it gone with the level it read still above 0.
        Framework stopping = framework(Framework.STOPPING, () -> {
            thread.finish();
            return 1;
        });
        assertNull(PatchbayRuntime.cannotStop(stopping));
    }

    @Test
    void aStartLevelThreadThatIsGoneWithLevelsStillToGoDownIsReported() throws Exception {
        StartLevelThread thread = new StartLevelThread();
        thread.start();
        thread.finish();
        String reason = PatchbayRuntime.cannotStop(framework(Framework.STOPPING, () -> 2));
        assertTrue(reason != null && reason.contains("start-level thread (FelixStartLevel) is gone"), reason);
    }

    @Test
    void aFrameworkAtLevelZeroNeedsTheThreadNoMore() {
        assertNull(PatchbayRuntime.cannotStop(framework(Framework.STOPPING, () -> 0)));
    }

    /** A thread with the framework's start-level thread's name, alive until told to finish. */
    private static final class StartLevelThread extends Thread {
        private final CountDownLatch done = new CountDownLatch(1);

        StartLevelThread() {
            super(PatchbayRuntime.START_LEVEL_THREAD);
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void finish() {
            done.countDown();
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private interface Level {
        int read();
    }

    /** A framework in the given state whose start level is read through {@code level}; no engine. */
    private static Framework framework(int state, Level level) {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(CannotStopTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> null);
        FrameworkStartLevel startLevel = (FrameworkStartLevel) Proxy.newProxyInstance(
                CannotStopTest.class.getClassLoader(), new Class<?>[] {FrameworkStartLevel.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getStartLevel")) {
                        return level.read();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (Framework) Proxy.newProxyInstance(CannotStopTest.class.getClassLoader(),
                new Class<?>[] {Framework.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getState":
                            return state;
                        case "adapt":
                            return args[0] == FrameworkStartLevel.class ? startLevel : null;
                        case "getBundleContext":
                            return context;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
