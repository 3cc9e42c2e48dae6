package io.patchbay.patch.handover;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered as a service by a component that has state worth keeping when its bundle is
 * replaced by strategy {@code handover} (the way Erlang's {@code code_change} carries a
 * process's state to new code).
 *
 * <p>During a handover Patchbay calls {@link #handOverState()} on the outgoing instance just
 * before it starts the new version of the bundle; the new instance takes the values with
 * {@link StateHandover#receive(String)}, normally in its activate method. If the handover is
 * abandoned (the new version fails, the patch is rolled back) Patchbay calls
 * {@link #handoverAbandoned()} and the outgoing instance carries on as before.
 *
 * <p>The service must have the property {@value #KEY} naming the state, the same in the old and
 * the new version. Values must be types both versions can load: JDK types (strings, numbers,
 * booleans, lists, maps, sets, arrays) or types exported by a bundle other than the one being
 * replaced, such as the application's API bundle. Anything else is refused and the patch is
 * rolled back, since the new version could not read it.
 */
@ConsumerType
public interface HandoverParticipant {

    /** Service property naming the state this participant gives and its successor receives. */
    String KEY = "patchbay.handover.key";

    /**
     * Stops changing the state and returns it. After this the instance may still answer calls
     * (its services stay registered until its successor's are), but must not change the state.
     *
     * @return the state, by name; not {@code null}
     * @throws Exception to refuse: the patch is rolled back
     */
    Map<String, Object> handOverState() throws Exception;

    /** The handover was abandoned after {@link #handOverState()}: resume as if it never happened. */
    default void handoverAbandoned() {
    }
}
