package io.patchbay.patch;

import java.time.Duration;
import java.util.Map;

/**
 * How an applied patch (or a rollback) ended.
 *
 * @param result  committed, rolled back, or dry run
 * @param level   the patch level the runtime is at now
 * @param reason  for a rollback, why (one line); otherwise a short summary
 * @param plan    the plan that was followed
 * @param timings how long each stage took
 */
public record PatchOutcome(Result result, int level, String reason, PatchPlan plan, Map<Stage, Duration> timings) {

    public PatchOutcome {
        timings = Map.copyOf(timings);
    }

    public enum Result {
        /** The patch is in and a new level was recorded. */
        COMMITTED,
        /** The patch made things worse and was rolled back to the exact previous state. */
        ROLLED_BACK,
        /** Nothing was changed: the operator asked for a dry run. */
        DRY_RUN
    }
}
