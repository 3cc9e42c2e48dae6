package io.patchbay.engine.internal.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * A comparable record of the runtime: every bundle (symbolic name, version, location, state,
 * start level), every registered service (interfaces, ranking, owner) and every DS component
 * (its configurations' states). Two snapshots are equal when the runtime is the same in all of
 * these; service and bundle ids are left out on purpose, since a refresh changes them without
 * changing anything an operator or a caller can see.
 *
 * @param bundles    "bsn" to "version location state startlevel"
 * @param services   "interfaces ranking=N owner=bsn", with multiplicity
 * @param components component name to the sorted states of its configurations
 */
public record Snapshot(SortedMap<String, String> bundles, List<String> services, SortedMap<String, String> components) {

    public static Snapshot take(BundleContext context, ServiceComponentRuntime scr) {
        SortedMap<String, String> bundles = new TreeMap<>();
        List<String> services = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
            String key = bundle.getBundleId() == 0 ? "system.bundle" : String.valueOf(bundle.getSymbolicName());
            bundles.merge(key, bundle.getVersion() + " " + bundle.getLocation() + " " + stateName(bundle.getState())
                    + " startlevel=" + (level == null ? 0 : level.getStartLevel()), (a, b) -> a + " | " + b);
            ServiceReference<?>[] registered = bundle.getRegisteredServices();
            if (registered != null) {
                for (ServiceReference<?> reference : registered) {
                    services.add(describe(reference));
                }
            }
        }
        services.sort(null);
        SortedMap<String, String> components = new TreeMap<>();
        if (scr != null) {
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                SortedSet<String> states = new TreeSet<>();
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    states.add(componentState(configuration.state));
                }
                components.put(description.name, (scr.isComponentEnabled(description) ? "" : "disabled ")
                        + String.join(",", states));
            }
        }
        return new Snapshot(bundles, List.copyOf(services), components);
    }

    /** @return the differences from {@code other}, one line each; empty when equal */
    public List<String> differencesFrom(Snapshot other) {
        List<String> lines = new ArrayList<>();
        diff("bundle", bundles, other.bundles, lines);
        diff("component", components, other.components, lines);
        if (!services.equals(other.services)) {
            List<String> gone = new ArrayList<>(other.services);
            services.forEach(gone::remove);
            List<String> added = new ArrayList<>(services);
            other.services.forEach(added::remove);
            gone.forEach(s -> lines.add("service gone: " + s));
            added.forEach(s -> lines.add("service new: " + s));
        }
        return lines;
    }

    private static void diff(String what, Map<String, String> now, Map<String, String> before, List<String> lines) {
        TreeSet<String> keys = new TreeSet<>(now.keySet());
        keys.addAll(before.keySet());
        for (String key : keys) {
            if (!Objects.equals(now.get(key), before.get(key))) {
                lines.add(what + " " + key + ": " + before.get(key) + " -> " + now.get(key));
            }
        }
    }

    public static String describe(ServiceReference<?> reference) {
        Object classes = reference.getProperty(Constants.OBJECTCLASS);
        String interfaces = classes instanceof String[] names ? String.join(",", names) : String.valueOf(classes);
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        Bundle owner = reference.getBundle(); // null once the service is gone
        return interfaces + " ranking=" + (ranking instanceof Integer r ? r : 0) + " owner="
                + (owner == null ? "(unregistered)" : owner.getSymbolicName());
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }

    public static String componentState(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "STATE_" + state;
        };
    }
}
