package io.patchbay.demo.policy;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The classic leak, on purpose: a thread started on activation and never stopped. The thread is
 * an instance of a class of this bundle, so after the bundle is swapped out its class loader stays
 * reachable for as long as the thread runs (a minute), and Patchbay's leak report must name it.
 */
@Component(immediate = true, service = LeakyWorker.class)
public class LeakyWorker {

    static final long LIFETIME_MILLIS = 60_000;

    @Activate
    public LeakyWorker() {
        new Worker().start();
    }

    /** Sleeps for a minute; nothing stops it early. */
    static final class Worker extends Thread {
        Worker() {
            super("patchbay-demo-leaky-worker");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                Thread.sleep(LIFETIME_MILLIS);
            } catch (InterruptedException e) {
                // Ends early only when interrupted.
            }
        }
    }
}
