package io.patchbay.demo.policy;

import java.util.concurrent.CountDownLatch;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Deliberately bad bundle: it starts and serves, but its activator's stop() never returns, as one
 * that waits for a worker thread that never ends. It ignores interrupts, so whatever stops it (an
 * update, or the framework refreshing a bundle it is wired to) keeps it STOPPING for as long as
 * the JVM runs.
 */
public class StopHangingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
    }

    @Override
    public void stop(BundleContext context) {
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // keeps waiting: that is the defect this bundle stands for
            }
        }
    }
}
