package io.patchbay.it.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one scenario.
 *
 * @param load          {@code service} (threads calling HeatingPolicy) or {@code http} (GET /decide)
 * @param scenario      {@code baseline} (no swaps), {@code felix}, {@code patchbay-refresh}, {@code patchbay-handover}
 * @param strategy      how the swaps were really carried out, as the engine's plans said
 * @param swaps         swaps carried out (all committed)
 * @param calls         calls or requests made during the scenario
 * @param failed        of those, the failed ones
 * @param stallMillis   the longest stall any caller saw (see {@link CallLoad})
 * @param serviceStallMillis the longest time in which no caller got a useful answer (see {@link StallAnalysis})
 * @param outageMillis  the longest outage any caller saw: a run of failed calls until the next success
 * @param gcPauses      the collector's pauses during the scenario
 * @param longestGcPauseMillis the longest of them
 * @param swapMedian    median time of one swap, ms (Felix: update + refresh; Patchbay: apply or rollback)
 * @param swapP99       99th percentile (nearest rank) of the same
 * @param reachable     retired class loaders still reachable after the scenario ({@link RetiredRevisions})
 * @param pinned        {@code PatchManager.pinnedRevisions().size()} after the scenario; -1 for Felix
 * @param seconds       how long the loaded part of the scenario ran
 */
record ScenarioResult(String load, String scenario, String strategy, int swaps, long calls, long failed,
        double stallMillis, double serviceStallMillis, double outageMillis, int gcPauses, double longestGcPauseMillis,
        double swapMedian, double swapP99, int reachable, int pinned, double seconds) {

    static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    /** @return {median, p99} of the swap times in ms, nearest rank; zeros when there were none */
    static double[] medianAndP99(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return new double[] {0, 0};
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return new double[] {millis(sorted.get(rank(sorted.size(), 50))), millis(sorted.get(rank(sorted.size(), 99)))};
    }

    private static int rank(int size, int percentile) {
        return Math.max(0, (int) Math.ceil(percentile / 100.0 * size) - 1);
    }

    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("load", load);
        map.put("scenario", scenario);
        map.put("strategy", strategy);
        map.put("swaps", swaps);
        map.put("calls", calls);
        map.put("failedCalls", failed);
        map.put("longestStallMillis", stallMillis);
        map.put("longestServiceStallMillis", serviceStallMillis);
        map.put("longestOutageMillis", outageMillis);
        map.put("gcPauses", gcPauses);
        map.put("longestGcPauseMillis", longestGcPauseMillis);
        // A baseline has no swaps: no swap times and nothing retired.
        map.put("swapMedianMillis", swaps == 0 ? null : swapMedian);
        map.put("swapP99Millis", swaps == 0 ? null : swapP99);
        map.put("retiredClassLoadersReachable", swaps == 0 ? null : reachable);
        map.put("pinnedRevisions", pinned < 0 ? null : pinned);
        map.put("seconds", seconds);
        return map;
    }
}
