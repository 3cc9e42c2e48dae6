package io.patchbay.patch;

/**
 * Refused because another patch operation is running. Nothing was looked at; the same request
 * may succeed once the other operation has finished.
 */
public class PatchBusyException extends PatchException {

    private static final long serialVersionUID = 1L;

    public PatchBusyException(String message) {
        super(Stage.RECEIVE, message);
    }
}
