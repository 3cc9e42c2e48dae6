package io.patchbay.patch.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered by applications as a service; after every patch, before it is committed, the health
 * gate calls every registered check, and rolls the patch back when one fails.
 *
 * <p>A check must answer quickly (well under a second) and must not throw; a throw counts as a
 * failure. Give the service a {@code name} property for reports (default: its class name).
 */
@ConsumerType
@FunctionalInterface
public interface HealthCheck {

    HealthResult check();
}
