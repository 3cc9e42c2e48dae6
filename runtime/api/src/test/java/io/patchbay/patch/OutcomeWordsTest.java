package io.patchbay.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The words every surface reads (strategies) and the one line every surface prints (outcomes). */
class OutcomeWordsTest {

    @Test
    void strategyWordsAreTheOnesOperatorsType() {
        assertEquals(Strategy.AUTO, Strategy.parse(null));
        assertEquals(Strategy.HANDOVER, Strategy.parse("handover"));
        assertEquals("refresh", Strategy.REFRESH.toString());
    }

    @Test
    void anUnknownStrategyIsRefusedInOneShortLine() {
        assertEquals("unknown strategy 'sideways'; use one of auto, refresh, handover",
                assertThrows(IllegalArgumentException.class, () -> Strategy.parse("sideways")).getMessage());
        assertEquals("unknown strategy 'a?b" + "x".repeat(37) + "...'; use one of auto, refresh, handover",
                assertThrows(IllegalArgumentException.class, () -> Strategy.parse("a\nb" + "x".repeat(60)))
                        .getMessage());
        assertEquals("unknown strategy ''; use one of auto, refresh, handover",
                assertThrows(IllegalArgumentException.class, () -> Strategy.parse("")).getMessage());
        assertEquals("unknown strategy 'HANDOVER'; use one of auto, refresh, handover",
                assertThrows(IllegalArgumentException.class, () -> Strategy.parse("HANDOVER")).getMessage());
    }

    @Test
    void anOutcomeSaysInOneLineHowItEnded() {
        assertEquals("Committed: the runtime is at level 1.", outcome(PatchOutcome.Result.COMMITTED, 1, -1).message());
        assertEquals("Committed: the runtime is at level 3 (the bundles of level 1).",
                outcome(PatchOutcome.Result.COMMITTED, 3, 1).message());
        assertEquals("patch rolled back, the runtime is at level 2 as before: unhealthy",
                outcome(PatchOutcome.Result.ROLLED_BACK, 2, -1).message());
        assertEquals("rollback to level 0 did not pass the health gate and was undone; still at level 2: unhealthy",
                outcome(PatchOutcome.Result.ROLLED_BACK, 2, 0).message());
        assertEquals("Dry run: nothing was changed.", outcome(PatchOutcome.Result.DRY_RUN, 2, 0).message());
    }

    private static PatchOutcome outcome(PatchOutcome.Result result, int level, int restored) {
        return new PatchOutcome(result, level, "unhealthy", null, Map.of(), restored);
    }
}
