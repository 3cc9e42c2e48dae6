package io.patchbay.management.internal;

import io.patchbay.patch.Stage;
import java.util.Map;

/**
 * A request the API answers with an error status: the status, the one-line message for the
 * JSON body, the pipeline stage when the patch engine refused, and any headers the status needs
 * ({@code WWW-Authenticate}, {@code Allow}).
 */
final class ApiError extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Stage stage;
    private final transient Map<String, String> headers;

    ApiError(int status, String message) {
        this(status, message, null, Map.of());
    }

    ApiError(int status, String message, Stage stage, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.stage = stage;
        this.headers = Map.copyOf(headers);
    }

    int status() {
        return status;
    }

    /** @return the stage that refused, or {@code null} when the request itself was wrong */
    Stage stage() {
        return stage;
    }

    Map<String, String> headers() {
        return headers;
    }
}
