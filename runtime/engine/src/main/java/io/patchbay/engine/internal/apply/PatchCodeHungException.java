package io.patchbay.engine.internal.apply;

/**
 * A call into a patch's code (activator, activate, deactivate) did not return within the
 * activation timeout and is still running. The bundle it runs for cannot be changed until it
 * returns, so the operation cannot be undone in-process: it is left to recovery at the next start.
 * The message is one line naming the bundle and what it was doing.
 */
public final class PatchCodeHungException extends Exception {

    private static final long serialVersionUID = 1L;

    PatchCodeHungException(String message) {
        super(message);
    }
}
