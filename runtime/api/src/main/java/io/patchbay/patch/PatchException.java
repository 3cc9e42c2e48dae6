package io.patchbay.patch;

/**
 * A patch or operation was refused before anything changed. The message is one line that names
 * the cause, fit for a console or a JSON error.
 */
public class PatchException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Stage stage;

    public PatchException(Stage stage, String message) {
        super(message);
        this.stage = stage;
    }

    public PatchException(Stage stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    /** @return the stage that refused */
    public Stage stage() {
        return stage;
    }
}
