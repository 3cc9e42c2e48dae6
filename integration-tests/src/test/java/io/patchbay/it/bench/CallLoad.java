package io.patchbay.it.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Threads that each make one call after another, without pause, until stopped. For each thread
 * it counts calls and failed calls (a call that returns {@code false}, throws, or fails to link),
 * and its longest stall: the longest time between two successful calls of that thread, where
 * the first interval starts when the thread starts and the last one ends when the load stops. A
 * run of failures, a call that blocks and a thread starved of CPU all show up as one stall, so
 * the figure is what a caller waited for a useful answer, whatever the reason. Its longest outage
 * is narrower: from a failed call that follows a success (or starts the load) to the next success,
 * or to the stop; zero when it never failed. The stall includes CPU starvation on a busy machine,
 * the outage only time in which calls failed.
 */
final class CallLoad {

    /** One call; {@code true} when it gave a useful answer. */
    interface Call {
        boolean call() throws Exception;
    }

    /**
     * Sums over the threads; the stall is the longest any one thread saw. {@code gaps} holds every
     * thread's stalls of at least {@link #RECORDED_GAP_NANOS}, so that they can be placed in time.
     */
    record Totals(long calls, long failed, long longestStallNanos, long longestOutageNanos, List<Gaps> gaps) {
    }

    /**
     * Stalls shorter than this are not kept. The service stall and the split by swap window are
     * exact for longer ones; a shorter one matters to no figure this benchmark reports.
     */
    static final long RECORDED_GAP_NANOS = 1_000_000;

    /** One thread's stalls of at least {@link #RECORDED_GAP_NANOS}, as start and end times in order. */
    static final class Gaps {
        private long[] times = new long[2048];
        private int size;

        void add(long start, long end) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
            }
            times[size++] = start;
            times[size++] = end;
        }

        int count() {
            return size / 2;
        }

        long start(int i) {
            return times[2 * i];
        }

        long end(int i) {
            return times[2 * i + 1];
        }
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
        long outage = 0;
        List<Gaps> gaps = new ArrayList<>();
        for (Worker worker : workers) {
            worker.thread.join();
            calls += worker.calls;
            failed += worker.failed;
            stall = Math.max(stall, worker.longestStall);
            outage = Math.max(outage, worker.longestOutage);
            gaps.add(worker.gaps);
        }
        return new Totals(calls, failed, stall, outage, gaps);
    }

    private final class Worker implements Runnable {

        final Thread thread;
        private final Call call;
        // Written by the worker only, read after join().
        long calls;
        long failed;
        long longestStall;
        long longestOutage;
        final Gaps gaps = new Gaps();

        Worker(String name, Call call) {
            this.call = call;
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            long lastSuccess = System.nanoTime();
            long firstFailure = -1;
            while (running) {
                boolean ok;
                try {
                    ok = call.call();
                } catch (Exception | LinkageError e) {
                    // A class of a retired revision that no longer loads is a failed call like any other.
                    ok = false;
                }
                calls++;
                long now = System.nanoTime();
                if (ok) {
                    if (now - lastSuccess >= RECORDED_GAP_NANOS) {
                        gaps.add(lastSuccess, now);
                    }
                    longestStall = Math.max(longestStall, now - lastSuccess);
                    lastSuccess = now;
                    if (firstFailure >= 0) {
                        longestOutage = Math.max(longestOutage, now - firstFailure);
                        firstFailure = -1;
                    }
                } else {
                    failed++;
                    if (firstFailure < 0) {
                        firstFailure = now;
                    }
                }
            }
            long end = System.nanoTime();
            if (end - lastSuccess >= RECORDED_GAP_NANOS) {
                gaps.add(lastSuccess, end);
            }
            longestStall = Math.max(longestStall, end - lastSuccess);
            if (firstFailure >= 0) {
                longestOutage = Math.max(longestOutage, end - firstFailure);
            }
        }
    }
}
