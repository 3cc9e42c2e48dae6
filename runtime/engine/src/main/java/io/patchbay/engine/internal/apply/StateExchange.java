package io.patchbay.engine.internal.apply;

import io.patchbay.patch.handover.HandedOverState;
import io.patchbay.patch.handover.StateHandover;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * Holds state between the moment a handover takes it from the outgoing version of a bundle and
 * the moment the incoming version receives it. Registered as the {@link StateHandover} service,
 * one instance per calling bundle, so that a state is given only to the bundle it is meant for.
 */
public final class StateExchange implements ServiceFactory<StateHandover> {

    /** A state waiting for its receiver. */
    private record Waiting(long receiverId, HandedOverState state) {
    }

    private final Map<String, Waiting> waiting = new HashMap<>();

    /** Keeps {@code state} for the bundle {@code receiver}; checks the values are loadable by it. */
    synchronized void offer(Bundle giver, Bundle receiver, HandedOverState state) {
        for (Map.Entry<String, Object> value : state.values().entrySet()) {
            String problem = problemWith(value.getValue(), giver, 0);
            if (problem != null) {
                throw new IllegalArgumentException("state '" + state.key() + "' of " + giver.getSymbolicName() + " "
                        + giver.getVersion() + ": value '" + value.getKey() + "' " + problem);
            }
        }
        waiting.put(key(receiver.getSymbolicName(), state.key()), new Waiting(receiver.getBundleId(), state));
    }

    synchronized Optional<HandedOverState> take(Bundle caller, String key) {
        String k = key(caller.getSymbolicName(), key);
        Waiting w = waiting.get(k);
        if (w == null || w.receiverId() != caller.getBundleId()) {
            return Optional.empty();
        }
        waiting.remove(k);
        return Optional.of(w.state());
    }

    /** @return the keys of states nobody took, and forgets them */
    synchronized List<String> clear() {
        List<String> left = new ArrayList<>();
        waiting.values().forEach(w -> left.add(w.state().key()));
        waiting.clear();
        return left;
    }

    @Override
    public StateHandover getService(Bundle bundle, ServiceRegistration<StateHandover> registration) {
        return key -> take(bundle, key);
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<StateHandover> registration, StateHandover service) {
        // Nothing held per bundle.
    }

    /**
     * A value the new version can read: a JDK type, or a type from a bundle other than the one
     * being replaced (whose classes go away with it). Collections and arrays are checked deeply.
     */
    static String problemWith(Object value, Bundle giver, int depth) {
        if (value == null) {
            return null;
        }
        if (depth > 32) {
            return "is nested too deeply";
        }
        Class<?> type = value.getClass();
        Bundle owner = FrameworkUtil.getBundle(type);
        if (owner != null && owner.getBundleId() != 0 && owner.getBundleId() == giver.getBundleId()) {
            return "is a " + type.getName() + ", a class of the bundle being replaced, which its successor cannot load";
        }
        if (value instanceof Collection<?> items) {
            for (Object item : items) {
                String problem = problemWith(item, giver, depth + 1);
                if (problem != null) {
                    return "holds an element that " + problem;
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String problem = problemWith(entry.getKey(), giver, depth + 1);
                problem = problem != null ? problem : problemWith(entry.getValue(), giver, depth + 1);
                if (problem != null) {
                    return "holds an entry that " + problem;
                }
            }
        } else if (type.isArray() && !type.getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                String problem = problemWith(Array.get(value, i), giver, depth + 1);
                if (problem != null) {
                    return "holds an element that " + problem;
                }
            }
        }
        return null;
    }

    private static String key(String symbolicName, String key) {
        return symbolicName + "\u0000" + key;
    }
}
