/**
 * State handover: how a component gives its state to the new version of its bundle when a patch
 * is applied with strategy {@code handover}.
 *
 * <p>The old version registers a {@link io.patchbay.patch.handover.HandoverParticipant} with the
 * service property {@link io.patchbay.patch.handover.HandoverParticipant#KEY}; when the new
 * version starts beside it, it asks the {@link io.patchbay.patch.handover.StateHandover} service
 * for that key and receives a {@link io.patchbay.patch.handover.HandedOverState} holding values
 * both versions can see, tagged with the bundle version they came from.
 *
 * <pre>
 * handover.receive("demo.control.totals").ifPresent(state -&gt; totals.restore(state.values()));
 * </pre>
 */
@Export
@Version("1.0.0")
package io.patchbay.patch.handover;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
