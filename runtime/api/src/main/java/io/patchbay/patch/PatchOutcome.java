package io.patchbay.patch;

import java.time.Duration;
import java.util.Map;

/**
 * How an applied patch (or a rollback) ended.
 *
 * <p>{@link #message()} is the one line every surface (console, HTTP API, watched folder) shows
 * for it, so they all say the same thing in the same words.
 *
 * @param result   committed, rolled back, or dry run
 * @param level    the patch level the runtime is at now
 * @param reason   for a rollback, why (one line); otherwise a short summary
 * @param plan     the plan that was followed
 * @param timings  how long each stage took
 * @param restored for {@link PatchManager#rollback}, the level whose bundles were to be restored;
 *                 -1 for a patch
 */
public record PatchOutcome(Result result, int level, String reason, PatchPlan plan, Map<Stage, Duration> timings,
        int restored) {

    public PatchOutcome {
        timings = Map.copyOf(timings);
    }

    /** The outcome of applying a patch. */
    public PatchOutcome(Result result, int level, String reason, PatchPlan plan, Map<Stage, Duration> timings) {
        this(result, level, reason, plan, timings, -1);
    }

    /** @return the one line that tells an operator how this operation ended */
    public String message() {
        boolean rollback = restored >= 0;
        return switch (result) {
            case DRY_RUN -> "Dry run: nothing was changed.";
            case COMMITTED -> "Committed: the runtime is at level " + level
                    + (rollback ? " (the bundles of level " + restored + ")." : ".");
            case ROLLED_BACK -> rollback
                    ? "rollback to level " + restored + " did not pass the health gate and was undone; still at level "
                            + level + ": " + reason
                    : "patch rolled back, the runtime is at level " + level + " as before: " + reason;
        };
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
