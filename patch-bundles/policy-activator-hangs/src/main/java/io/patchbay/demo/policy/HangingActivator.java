package io.patchbay.demo.policy;

import java.util.concurrent.CountDownLatch;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Deliberately bad patch: the bundle resolves, but its activator's start() never returns, as one
 * that waits for a peer that never answers. It ignores interrupts, as much such code does, so the
 * framework keeps the bundle STARTING for as long as the JVM runs.
 */
public class HangingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // keeps waiting: that is the defect this bundle stands for
            }
        }
    }

    @Override
    public void stop(BundleContext context) {
    }
}
