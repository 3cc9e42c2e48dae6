package io.patchbay.patch.handover;

import java.util.Map;
import org.osgi.framework.Version;

/**
 * State given by the outgoing version of a component to the incoming one.
 *
 * @param key          the name both versions give the state ({@link HandoverParticipant#KEY})
 * @param values       the values, as {@link HandoverParticipant#handOverState()} returned them
 * @param fromBundle   symbolic name of the bundle that gave the state
 * @param fromVersion  its version: a newer version may need to convert, an older one to ignore
 */
public record HandedOverState(String key, Map<String, Object> values, String fromBundle, Version fromVersion) {

    public HandedOverState {
        values = Map.copyOf(values);
    }
}
