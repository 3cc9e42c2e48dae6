package io.patchbay.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's stall arithmetic, on gaps laid out by hand. */
class StallAnalysisTest {

    private static CallLoad.Gaps gaps(long... startsAndEnds) {
        CallLoad.Gaps gaps = new CallLoad.Gaps();
        for (int i = 0; i < startsAndEnds.length; i += 2) {
            gaps.add(startsAndEnds[i], startsAndEnds[i + 1]);
        }
        return gaps;
    }

    @Test
    void theServiceStallIsWhereEveryCallerWaitsAtOnce() {
        // Caller A waits 10..50 and 70..90, caller B 30..80: both wait in 30..50 and 70..80.
        StallAnalysis.Stall stall = StallAnalysis.longestServiceStall(List.of(gaps(10, 50, 70, 90), gaps(30, 80)));
        assertEquals(new StallAnalysis.Stall(30, 50), stall);
    }

    @Test
    void oneCallerThatKeepsAnsweringLeavesNoServiceStall() {
        // B's gaps touch but never overlap A's long wait as a whole: B answered at 40 and at 60.
        StallAnalysis.Stall stall = StallAnalysis.longestServiceStall(List.of(gaps(0, 100), gaps(20, 40, 60, 70)));
        assertEquals(20, stall.nanos());
        assertEquals(new StallAnalysis.Stall(0, 0),
                StallAnalysis.longestServiceStall(List.of(gaps(0, 100), gaps(100, 200))));
    }

    @Test
    void withOneCallerTheServiceStallIsItsLongestStall() {
        assertEquals(new StallAnalysis.Stall(-500, -100),
                StallAnalysis.longestServiceStall(List.of(gaps(-900, -800, -500, -100, 0, 3))));
    }

    @Test
    void theLongestStallsOfAllCallersComeLongestFirst() {
        List<StallAnalysis.Stall> longest = StallAnalysis.longestStalls(List.of(gaps(0, 5, 10, 40), gaps(3, 23)), 2);
        assertEquals(List.of(new StallAnalysis.Stall(10, 40), new StallAnalysis.Stall(3, 23)), longest);
    }

    @Test
    void aStallIsPlacedInTheSwapItOverlaps() {
        String placed = StallAnalysis.placed(new StallAnalysis.Stall(2_000_000, 5_000_000),
                List.of(new long[] {0, 1_000_000}, new long[] {1_500_000, 9_500_000}), List.of(), null);
        assertEquals("swap 2 from +0.5 ms of its 8.0 ms", placed.substring(placed.indexOf("swap")));
    }
}
