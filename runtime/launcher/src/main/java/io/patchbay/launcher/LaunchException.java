package io.patchbay.launcher;

/**
 * A reason not to start (or not to attach) that the operator can act on. The message is the
 * one line printed after {@code patchbay: }; the exit status tells scripts what kind it was.
 */
public final class LaunchException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Wrong command line: an unknown option or a missing or bad value. */
    public static final int USAGE = 2;
    /** The environment does not allow a start: folder locked or unwritable, port taken. */
    public static final int ENVIRONMENT = 3;
    /** The framework failed to start or stopped with an error. */
    public static final int FAILED = 1;

    private final int exitStatus;

    public LaunchException(int exitStatus, String message) {
        super(message);
        this.exitStatus = exitStatus;
    }

    public LaunchException(int exitStatus, String message, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }
}
