package io.patchbay.engine.internal;

import io.patchbay.patch.PatchDescriptor;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.PatchPlan;
import io.patchbay.patch.PatchPlan.BundleChange;
import io.patchbay.patch.PatchPlan.ChangeKind;
import io.patchbay.patch.Stage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Stage {@code plan}: what a set of changes would do to the running framework, worked out
 * without changing it. It baselines each updated bundle's exported API against the installed jar
 * (a micro version may not change API), resolves the would-be state, and lists the refresh
 * closure, the bundles restarted, the services and components that go away and come back, and
 * the bundles outside the closure that use those services.
 */
final class Planner {

    /** A plan, and what the applier needs to carry it out. */
    record Planned(PatchPlan plan, List<Change> changes, List<Bundle> closure) {
    }

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final WouldBeResolver resolver;
    private final BundleStore store;

    Planner(BundleContext context, ServiceComponentRuntime scr, WouldBeResolver resolver, BundleStore store) {
        this.context = context;
        this.scr = scr;
        this.resolver = resolver;
        this.store = store;
    }

    /**
     * @param descriptor   the patch (for the plan's record), or null for a rollback
     * @param changes      what changes, bundle by bundle
     * @param newManifests manifests of the jars being installed or updated to, by symbolic name
     * @param newJars      those jars, by symbolic name (for baselining)
     */
    Planned plan(PatchDescriptor descriptor, List<Change> changes, Map<String, Manifest> newManifests,
            Map<String, byte[]> newJars) throws PatchException {
        List<String> notes = new ArrayList<>();
        for (Change change : changes) {
            boolean replaces = change.kind() == Change.Kind.UPDATE || change.kind() == Change.Kind.UNINSTALL;
            if (replaces && !store.contains(change.fromHash())) {
                throw new PatchException(Stage.PLAN, "cannot change " + change.symbolicName() + " " + change.fromVersion()
                        + ": its jar is not in Patchbay's store (it was installed or updated outside Patchbay), so it"
                        + " could not be restored if the change failed");
            }
        }
        baseline(changes, newJars, notes);

        Set<Bundle> replaced = new HashSet<>();
        for (Change change : changes) {
            if (change.kind() == Change.Kind.UPDATE || change.kind() == Change.Kind.UNINSTALL) {
                ManagedBundles.find(context, change.symbolicName()).ifPresent(replaced::add);
            }
        }
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Collection<Bundle> closure = replaced.isEmpty() ? List.of() : wiring.getDependencyClosure(replaced);
        for (Bundle bundle : closure) {
            if (ManagedBundles.isProtected(bundle)) {
                throw new PatchException(Stage.PLAN, "the patch would refresh " + bundle.getSymbolicName()
                        + ", which belongs to the Patchbay runtime; it must not depend on the bundles a patch replaces");
            }
        }
        Map<String, Manifest> resolving = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change.kind() == Change.Kind.INSTALL || change.kind() == Change.Kind.UPDATE) {
                resolving.put(change.symbolicName(), newManifests.get(change.symbolicName()));
            }
        }
        resolver.check(List.of(context.getBundles()), replaced, closure, resolving);

        List<String> closureNames = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        Set<String> services = new TreeSet<>();
        Set<String> consumers = new TreeSet<>();
        Set<Long> closureIds = new HashSet<>();
        closure.forEach(b -> closureIds.add(b.getBundleId()));
        for (Bundle bundle : closure) {
            closureNames.add(bundle.getSymbolicName());
            if (bundle.getState() == Bundle.ACTIVE || bundle.getState() == Bundle.STARTING) {
                restarted.add(bundle.getSymbolicName());
            }
            ServiceReference<?>[] registered = bundle.getRegisteredServices();
            if (registered == null) {
                continue;
            }
            for (ServiceReference<?> reference : registered) {
                services.add(Snapshot.describe(reference));
                Bundle[] users = reference.getUsingBundles();
                if (users != null) {
                    for (Bundle user : users) {
                        if (!closureIds.contains(user.getBundleId())) {
                            consumers.add(user.getSymbolicName());
                        }
                    }
                }
            }
        }
        List<String> components = new ArrayList<>();
        if (scr != null) {
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                if (closureIds.contains(description.bundle.id)) {
                    for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                        components.add(description.name + " (" + Snapshot.componentState(configuration.state) + ")");
                    }
                }
            }
        }
        List<BundleChange> bundleChanges = new ArrayList<>();
        for (Change change : changes) {
            bundleChanges.add(new BundleChange(change.symbolicName(),
                    change.fromVersion().isEmpty() ? null : Version.parseVersion(change.fromVersion()),
                    change.toVersion().isEmpty() ? null : Version.parseVersion(change.toVersion()),
                    switch (change.kind()) {
                        case INSTALL -> ChangeKind.INSTALL;
                        case UPDATE -> ChangeKind.UPDATE;
                        case UNINSTALL -> ChangeKind.UNINSTALL;
                        case UNCHANGED -> ChangeKind.UNCHANGED;
                    }));
        }
        PatchPlan plan = new PatchPlan(descriptor, "refresh",
                "update in place and refresh the dependency closure (" + closure.size() + " bundle"
                        + (closure.size() == 1 ? "" : "s") + ")",
                bundleChanges, closureNames, restarted, List.copyOf(services), components, List.copyOf(consumers), notes);
        return new Planned(plan, changes, List.copyOf(closure));
    }

    private void baseline(List<Change> changes, Map<String, byte[]> newJars, List<String> notes) throws PatchException {
        ApiBaseliner baseliner = new ApiBaseliner();
        for (Change change : changes) {
            if (change.kind() != Change.Kind.UPDATE || !newJars.containsKey(change.symbolicName())) {
                continue;
            }
            Version from = Version.parseVersion(change.fromVersion());
            Version to = Version.parseVersion(change.toVersion());
            boolean microOnly = from.getMajor() == to.getMajor() && from.getMinor() == to.getMinor();
            String apiChange;
            try {
                apiChange = baseliner.apiChange(store.read(change.fromHash()), newJars.get(change.symbolicName()));
            } catch (Exception e) {
                if (microOnly) {
                    // The micro-version promise cannot be checked, so it is not taken on trust.
                    throw new PatchException(Stage.PLAN, "cannot compare the API of " + change.symbolicName() + " " + to
                            + " with the installed " + from + ": " + e.getMessage());
                }
                notes.add("API of " + change.symbolicName() + " not baselined: " + e.getMessage());
                continue;
            }
            if (apiChange != null && microOnly) {
                throw new PatchException(Stage.PLAN, change.symbolicName() + " " + to + " changes its API in a micro"
                        + " version: " + apiChange);
            }
            notes.add("API of " + change.symbolicName() + ": " + (apiChange == null ? "unchanged" : apiChange));
        }
    }
}
