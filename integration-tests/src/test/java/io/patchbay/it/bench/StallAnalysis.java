package io.patchbay.it.bench;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the recorded stalls of one scenario say beyond the longest one.
 *
 * <p>The <em>service stall</em> is the longest time in which no caller at all got a useful answer.
 * With more callers than cores, one caller waits for a CPU while the others run, so its own stall
 * grows with the load whether or not anything is swapped; the service stall does not, because
 * some caller is always running. It is what the swap itself took away: an outage, a lock held
 * against every caller, a pause of the whole JVM.
 *
 * <p>The longest stalls are placed in time against the swaps, so that a long one can be traced to
 * a swap's step, or found to lie between swaps.
 */
final class StallAnalysis {

    /** A time in which one caller (or, for the service stall, every caller) waited. */
    record Stall(long start, long end) {
        long nanos() {
            return end - start;
        }

        boolean overlaps(long otherStart, long otherEnd) {
            return start < otherEnd && end > otherStart;
        }
    }

    private StallAnalysis() {
    }

    /** @return the longest interval covered by a stall of every thread at once; zero length if none */
    static Stall longestServiceStall(List<CallLoad.Gaps> threads) {
        int total = 0;
        for (CallLoad.Gaps gaps : threads) {
            total += gaps.count();
        }
        // A sweep over the start (+1) and end (-1) of every gap: where the count reaches the
        // number of threads, all of them are waiting.
        long origin = Long.MAX_VALUE;
        for (CallLoad.Gaps gaps : threads) {
            origin = gaps.count() == 0 ? origin : Math.min(origin, gaps.start(0));
        }
        // Times relative to the first gap, so that they are positive and the shift cannot overflow.
        long[] events = new long[2 * total];
        int n = 0;
        for (CallLoad.Gaps gaps : threads) {
            for (int i = 0; i < gaps.count(); i++) {
                events[n++] = (gaps.start(i) - origin) << 1 | 1;
                events[n++] = (gaps.end(i) - origin) << 1;
            }
        }
        // Sorted by time; at one instant an end (even) comes before a start (odd): touching gaps do not overlap.
        Arrays.sort(events);
        Stall longest = new Stall(0, 0);
        int waiting = 0;
        long since = 0;
        for (long event : events) {
            long time = (event >> 1) + origin;
            if ((event & 1) == 1) {
                if (++waiting == threads.size()) {
                    since = time;
                }
            } else {
                if (waiting-- == threads.size() && time - since > longest.nanos()) {
                    longest = new Stall(since, time);
                }
            }
        }
        return longest;
    }

    /** @return the {@code count} longest stalls of any thread, longest first */
    static List<Stall> longestStalls(List<CallLoad.Gaps> threads, int count) {
        List<Stall> all = new ArrayList<>();
        for (CallLoad.Gaps gaps : threads) {
            for (int i = 0; i < gaps.count(); i++) {
                all.add(new Stall(gaps.start(i), gaps.end(i)));
            }
        }
        all.sort(Comparator.comparingLong(Stall::nanos).reversed());
        return all.subList(0, Math.min(count, all.size()));
    }

    /**
     * Where a stall lies: in which swap and how far into it (swaps given as start and end times, in
     * order), or between swaps; the last of {@code events} (if given) in that swap before the stall
     * began; and which pauses of the JVM's collector overlap it.
     */
    static String placed(Stall stall, List<long[]> swaps, List<GcPauses.Pause> pauses, ServiceEvents events) {
        // The wall-clock time and the JVM's uptime, to find the stall in a flight recording or a
        // -Xlog file (whose uptime decoration is the same clock).
        long ago = System.nanoTime() - stall.start();
        Instant at = Instant.ofEpochMilli(System.currentTimeMillis() - ago / 1_000_000);
        double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3 - ago / 1e9;
        StringBuilder where = new StringBuilder(String.format(Locale.ROOT, "%.1f ms at %s (uptime %.3f s)",
                stall.nanos() / 1e6, DateTimeFormatter.ISO_LOCAL_TIME.format(at.atOffset(ZoneOffset.UTC)), uptime));
        String swap = "between swaps";
        for (int i = 0; i < swaps.size(); i++) {
            long[] window = swaps.get(i);
            if (stall.overlaps(window[0], window[1])) {
                swap = String.format(Locale.ROOT, "swap %d from %+.1f ms of its %.1f ms", i + 1,
                        (stall.start() - window[0]) / 1e6, (window[1] - window[0]) / 1e6);
                ServiceEvents.Event event = events == null ? null : events.lastBefore(stall.start(), window[0]);
                if (event != null) {
                    swap += String.format(Locale.ROOT, " (%.1f ms after %s)", (stall.start() - event.nanos()) / 1e6,
                            event.what());
                }
                break;
            }
        }
        where.append(", ").append(swaps.isEmpty() ? "no swaps" : swap);
        for (GcPauses.Pause pause : pauses) {
            if (stall.overlaps(pause.start(), pause.end())) {
                where.append(String.format(Locale.ROOT, ", %s %.0f ms", pause.name(), pause.nanos() / 1e6));
            }
        }
        return where.toString();
    }
}
