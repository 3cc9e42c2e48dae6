package io.patchbay.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The tests' own snapshot of a framework: bundles with versions and states, registered services
 * with their owners, DS components with their states. Written independently of the engine's
 * snapshot, so a test does not trust the code it checks.
 *
 * <p>Bundle ids are left out: a handover installs the new version beside the old one, and undoing
 * it brings the old jar back as a new bundle at its old location, so an exact rollback keeps
 * names, versions, locations and states, not ids.
 *
 * @param bundles    "bsn location" to "version STATE"
 * @param services   "interfaces @ owner", sorted
 * @param components component name to its configurations' states
 */
public record RuntimeState(Map<String, String> bundles, List<String> services, Map<String, String> components) {

    public static RuntimeState of(BundleContext context, ServiceComponentRuntime scr) {
        Map<String, String> bundles = new TreeMap<>();
        List<String> services = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName() != null && bundle.getSymbolicName().startsWith("PAXEXAM")) {
                continue;
            }
            bundles.merge(bundle.getSymbolicName() + " " + bundle.getLocation(), bundle.getVersion() + " " + state(bundle),
                    (a, b) -> a + " | " + b);
            ServiceReference<?>[] registered = bundle.getRegisteredServices();
            if (registered != null) {
                for (ServiceReference<?> reference : registered) {
                    services.add(String.join(",", (String[]) reference.getProperty(Constants.OBJECTCLASS)) + " @ "
                            + bundle.getSymbolicName());
                }
            }
        }
        services.sort(null);
        Map<String, String> components = new TreeMap<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            List<String> states = new ArrayList<>();
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                states.add(Integer.toString(configuration.state));
            }
            states.sort(null);
            components.put(description.name, String.join(",", states));
        }
        return new RuntimeState(bundles, services, components);
    }

    /** @return the version of the bundle with this symbolic name, or null */
    public String version(String symbolicName) {
        return bundles.entrySet().stream().filter(e -> e.getKey().startsWith(symbolicName + " "))
                .map(e -> e.getValue().split(" ")[0]).findFirst().orElse(null);
    }

    /** @return what differs from {@code other}, for a failure message */
    public String differencesFrom(RuntimeState other) {
        List<String> lines = new ArrayList<>();
        Set<String> keys = new TreeSet<>(bundles.keySet());
        keys.addAll(other.bundles.keySet());
        keys.stream().filter(k -> !Objects.equals(bundles.get(k), other.bundles.get(k)))
                .forEach(k -> lines.add("bundle " + k + ": " + other.bundles.get(k) + " -> " + bundles.get(k)));
        keys = new TreeSet<>(components.keySet());
        keys.addAll(other.components.keySet());
        keys.stream().filter(k -> !Objects.equals(components.get(k), other.components.get(k)))
                .forEach(k -> lines.add("component " + k + ": " + other.components.get(k) + " -> " + components.get(k)));
        if (!services.equals(other.services)) {
            lines.add("services: " + other.services + " -> " + services);
        }
        return String.join("; ", lines);
    }

    private static String state(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
