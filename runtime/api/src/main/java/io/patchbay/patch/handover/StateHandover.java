package io.patchbay.patch.handover;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Provided by Patchbay: where a component that is starting as the successor in a handover
 * finds the state its predecessor gave (see {@link HandoverParticipant}).
 *
 * <pre>
 * &#64;Activate
 * public Loop(&#64;Reference StateHandover handover) {
 *     handover.receive("demo.control.totals").ifPresent(state -&gt; totals.restore(state.values()));
 * }
 * </pre>
 */
@ProviderType
public interface StateHandover {

    /**
     * Takes the state handed over under {@code key} to the calling bundle. Each state is given
     * once, and only to the bundle that replaces the one that gave it.
     *
     * @return the state, or empty when this is not a handover (first start, a restart, a refresh)
     */
    Optional<HandedOverState> receive(String key);
}
