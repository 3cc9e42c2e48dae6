package io.patchbay.patch;

import java.util.List;

/**
 * How an operator asks for a patch to be treated.
 *
 * @param dryRun         go as far as the plan and stop: nothing is changed
 * @param allowDowngrade accept bundles whose version is lower than the installed one
 * @param operator       who asked (an OS user, a token id, a file name), for the journal
 * @param strategy       {@link #AUTO} (the planner chooses), {@link #REFRESH} or {@link #HANDOVER};
 *                       asking for {@code handover} where it is not safe refuses the patch at plan
 */
public record PatchOptions(boolean dryRun, boolean allowDowngrade, String operator, String strategy) {

    /** The planner chooses: {@code handover} where it is safe, {@code refresh} otherwise. */
    public static final String AUTO = "auto";
    /** Update in place and refresh the dependency closure. */
    public static final String REFRESH = "refresh";
    /** Start the new version beside the old one, hand state across, then retire the old one. */
    public static final String HANDOVER = "handover";
    /** The strategies an operator may ask for. */
    public static final List<String> STRATEGIES = List.of(AUTO, REFRESH, HANDOVER);

    public static final PatchOptions DEFAULT = new PatchOptions(false, false, "unknown", AUTO);

    public PatchOptions {
        operator = operator == null || operator.isBlank() ? "unknown" : operator;
        strategy = strategy == null || strategy.isBlank() ? AUTO : strategy;
        if (!STRATEGIES.contains(strategy)) {
            throw new IllegalArgumentException("unknown strategy '" + strategy + "'; use one of " + STRATEGIES);
        }
    }

    /** Options with the strategy left to the planner. */
    public PatchOptions(boolean dryRun, boolean allowDowngrade, String operator) {
        this(dryRun, allowDowngrade, operator, AUTO);
    }

    /** @return these options with another strategy */
    public PatchOptions withStrategy(String other) {
        return new PatchOptions(dryRun, allowDowngrade, operator, other);
    }
}
