package io.patchbay.it.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Threads that each make one call after another, without pause, until stopped. For each thread
 * it counts calls and failed calls (a call that returns {@code false}, throws, or fails to link),
 * and its longest stall: the longest time between two successful calls of that thread, where
 * the first interval starts when the thread starts and the last one ends when the load stops. A
 * run of failures, a call that blocks and a thread starved of CPU all show up as one stall, so
 * the figure is what a caller waited for a useful answer, whatever the reason.
 */
final class CallLoad {

    /** One call; {@code true} when it gave a useful answer. */
    interface Call {
        boolean call() throws Exception;
    }

    /** Sums over the threads; the stall is the longest any one thread saw. */
    record Totals(long calls, long failed, long longestStallNanos) {
    }

    private final List<Worker> workers = new ArrayList<>();
    private volatile boolean running = true;

    /** Starts {@code threads} threads; thread {@code i} makes the calls of {@code calls.apply(i)}. */
    CallLoad(String name, int threads, IntFunction<Call> calls) {
        for (int i = 0; i < threads; i++) {
            workers.add(new Worker(name + "-" + i, calls.apply(i)));
        }
        workers.forEach(w -> w.thread.start());
    }

    /** Stops the threads, waits for their last call, and sums what they counted. */
    Totals stop() throws InterruptedException {
        running = false;
        long calls = 0;
        long failed = 0;
        long stall = 0;
        for (Worker worker : workers) {
            worker.thread.join();
            calls += worker.calls;
            failed += worker.failed;
            stall = Math.max(stall, worker.longestStall);
        }
        return new Totals(calls, failed, stall);
    }

    private final class Worker implements Runnable {

        final Thread thread;
        private final Call call;
        // Written by the worker only, read after join().
        long calls;
        long failed;
        long longestStall;

        Worker(String name, Call call) {
            this.call = call;
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            long lastSuccess = System.nanoTime();
            while (running) {
                boolean ok;
                try {
                    ok = call.call();
                } catch (Exception | LinkageError e) {
                    // A class of a retired revision that no longer loads is a failed call like any other.
                    ok = false;
                }
                calls++;
                if (ok) {
                    long now = System.nanoTime();
                    longestStall = Math.max(longestStall, now - lastSuccess);
                    lastSuccess = now;
                } else {
                    failed++;
                }
            }
            longestStall = Math.max(longestStall, System.nanoTime() - lastSuccess);
        }
    }
}
