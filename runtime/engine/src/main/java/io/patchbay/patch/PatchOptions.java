package io.patchbay.patch;

/**
 * How an operator asks for a patch to be treated.
 *
 * @param dryRun         go as far as the plan and stop: nothing is changed
 * @param allowDowngrade accept bundles whose version is lower than the installed one
 * @param operator       who asked (an OS user, a token id, a file name), for the journal
 */
public record PatchOptions(boolean dryRun, boolean allowDowngrade, String operator) {

    public static final PatchOptions DEFAULT = new PatchOptions(false, false, "unknown");

    public PatchOptions {
        operator = operator == null || operator.isBlank() ? "unknown" : operator;
    }
}
