package io.patchbay.patch.health;

/**
 * The answer of a {@link HealthCheck}.
 *
 * @param healthy whether the application is as healthy as it should be
 * @param message what was found, one line
 */
public record HealthResult(boolean healthy, String message) {

    public static HealthResult ok(String message) {
        return new HealthResult(true, message);
    }

    public static HealthResult failed(String message) {
        return new HealthResult(false, message);
    }
}
