package io.patchbay.patch;

import java.util.List;
import org.osgi.framework.Version;

/**
 * What applying a patch would do, computed without touching the framework.
 *
 * @param patch      the verified patch, or {@code null} for a rollback
 * @param strategy   how it would be applied ({@code refresh})
 * @param reason     why that strategy
 * @param changes    bundle by bundle: installed, updated or left as is
 * @param closure    symbolic names of the bundles the framework would refresh
 * @param restarted  symbolic names of the bundles that would be stopped and started again
 * @param services   services that would go away and come back ("interface from bundle")
 * @param components DS components that would be deactivated and activated again
 * @param consumers  bundles outside the closure that use those services and would see them go
 * @param notes      anything else an operator should know (baseline results, warnings)
 */
public record PatchPlan(
        PatchDescriptor patch,
        Strategy strategy,
        String reason,
        List<BundleChange> changes,
        List<String> closure,
        List<String> restarted,
        List<String> services,
        List<String> components,
        List<String> consumers,
        List<String> notes) {

    public PatchPlan {
        changes = List.copyOf(changes);
        closure = List.copyOf(closure);
        restarted = List.copyOf(restarted);
        services = List.copyOf(services);
        components = List.copyOf(components);
        consumers = List.copyOf(consumers);
        notes = List.copyOf(notes);
    }

    /** What happens to one bundle. */
    public enum ChangeKind {
        INSTALL,
        UPDATE,
        UNINSTALL,
        UNCHANGED
    }

    /**
     * @param symbolicName the bundle
     * @param from         installed version, or {@code null} when new
     * @param to           version after the patch, or {@code null} when uninstalled
     * @param kind         install, update, uninstall (a rollback), or unchanged (a fix pack's missing bundle)
     */
    public record BundleChange(String symbolicName, Version from, Version to, ChangeKind kind) {
    }
}
