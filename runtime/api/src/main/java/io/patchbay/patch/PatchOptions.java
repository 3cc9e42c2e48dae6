package io.patchbay.patch;

/**
 * How an operator asks for a patch to be treated.
 *
 * @param dryRun         go as far as the plan and stop: nothing is changed
 * @param allowDowngrade accept bundles whose version is lower than the installed one
 * @param operator       who asked (an OS user, a token id, a file name), for the journal
 * @param strategy       {@link Strategy#AUTO} (the planner chooses), {@link Strategy#REFRESH} or
 *                       {@link Strategy#HANDOVER}; asking for {@code handover} where it is not safe
 *                       refuses the patch at plan
 */
public record PatchOptions(boolean dryRun, boolean allowDowngrade, String operator, Strategy strategy) {

    public static final PatchOptions DEFAULT = new PatchOptions(false, false, "unknown", Strategy.AUTO);

    public PatchOptions {
        operator = operator == null || operator.isBlank() ? "unknown" : operator;
        strategy = strategy == null ? Strategy.AUTO : strategy;
    }

    /** Options with the strategy left to the planner. */
    public PatchOptions(boolean dryRun, boolean allowDowngrade, String operator) {
        this(dryRun, allowDowngrade, operator, Strategy.AUTO);
    }

    /** @return these options with another strategy */
    public PatchOptions withStrategy(Strategy other) {
        return new PatchOptions(dryRun, allowDowngrade, operator, other);
    }
}
