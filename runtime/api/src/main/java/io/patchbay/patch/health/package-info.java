/**
 * Health checks an application registers so that a patch is committed only when the application
 * says it is well.
 *
 * <p>After every patch, and every rollback to an earlier level, the health gate calls each
 * registered {@link io.patchbay.patch.health.HealthCheck} service; one that answers
 * {@link io.patchbay.patch.health.HealthResult#failed(String)} (or throws, or does not answer in
 * time) makes the engine undo the change, with the check's message as the reason.
 *
 * <pre>
 * &#64;Component
 * public class LoopHealth implements HealthCheck {
 *     public HealthResult check() {
 *         return loop.running() ? HealthResult.ok("loop running") : HealthResult.failed("loop stopped");
 *     }
 * }
 * </pre>
 */
@Export
@Version("1.0.0")
package io.patchbay.patch.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
