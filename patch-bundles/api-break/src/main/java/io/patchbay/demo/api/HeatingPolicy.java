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

    // Deliberate API break for the demo: a new abstract method breaks every existing
    // provider, which needs a minor package version, yet package-info still says 1.0.0.
    // Baselining against 1.0.0 must catch it.
    /** @return a name for the policy, shown to operators */
    String name();
}
