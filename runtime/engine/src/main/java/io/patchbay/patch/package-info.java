/**
 * Patchbay's patch engine API.
 *
 * <p>The {@link io.patchbay.patch.PatchManager} service verifies, simulates, applies and rolls
 * back patches: signed OSGi Deployment Packages carrying new versions of bundles. Applications
 * take part by registering {@link io.patchbay.patch.HealthCheck} services, which the health gate
 * consults after every patch before it is committed, and by registering
 * {@link io.patchbay.patch.HandoverParticipant} services, whose state is carried to the new
 * version of their bundle when it is swapped in by strategy {@code handover}
 * ({@link io.patchbay.patch.StateHandover}).
 *
 * <pre>
 * PatchPlan plan = patches.simulate(file, PatchOptions.DEFAULT);
 * PatchOutcome outcome = patches.apply(file, PatchOptions.DEFAULT, (stage, took, summary) -&gt;
 *         System.out.println(stage + " " + summary));
 * </pre>
 */
@Export
@Version("1.3.0")
package io.patchbay.patch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
