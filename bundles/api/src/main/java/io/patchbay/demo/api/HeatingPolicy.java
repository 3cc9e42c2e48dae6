package io.patchbay.demo.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Decides whether the heater runs at a given temperature. The control loop asks on every
 * reading; the web bundle asks for {@code GET /decide}.
 *
 * <p>Implementations must be stateless and thread safe: they are called from several threads
 * and may be replaced by a patch between two calls.
 */
@ProviderType
public interface HeatingPolicy {

    /**
     * @param celsius a reading in degrees Celsius
     * @return the decision; never {@code null}
     */
    Heater decide(double celsius);
}
