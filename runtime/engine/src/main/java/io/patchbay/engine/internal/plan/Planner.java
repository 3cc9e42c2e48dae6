package io.patchbay.engine.internal.plan;

import io.patchbay.engine.internal.config.ManagedBundles;
import io.patchbay.engine.internal.health.Snapshot;
import io.patchbay.engine.internal.ledger.BundleStore;
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
import io.patchbay.patch.Strategy;
import java.util.HashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;
import org.osgi.framework.dto.ServiceReferenceDTO;
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
public final class Planner {

    /** A plan, and what the applier needs to carry it out. */
    public record Planned(PatchPlan plan, List<Change> changes, List<Bundle> closure) {
    }

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final WouldBeResolver resolver;
    private final BundleStore store;

    public Planner(BundleContext context, ServiceComponentRuntime scr, WouldBeResolver resolver, BundleStore store) {
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
    public Planned plan(PatchDescriptor descriptor, List<Change> changes, Map<String, Manifest> newManifests,
            Map<String, byte[]> newJars, Strategy requested) throws PatchException {
        List<String> notes = new ArrayList<>();
        for (Change change : changes) {
            boolean replaces = change.kind() == Change.Kind.UPDATE || change.kind() == Change.Kind.UNINSTALL;
            if (replaces && !store.contains(change.fromHash())) {
                throw new PatchException(Stage.PLAN, "cannot change " + change.symbolicName() + " " + change.fromVersion()
                        + ": its jar is not in Patchbay's store (it was installed or updated outside Patchbay), so it"
                        + " could not be restored if the change failed");
            }
        }
        PlatformPackages.refuseExports(context, newManifests);
        String blocker = handoverBlocker(changes, newManifests);
        if (requested == Strategy.HANDOVER && blocker != null) {
            throw new PatchException(Stage.PLAN, "strategy handover is not safe for this patch: " + blocker);
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

        boolean handover;
        String reason;
        if (requested == Strategy.REFRESH) {
            handover = false;
            reason = "asked for; update in place and refresh the dependency closure";
        } else {
            handover = blocker == null;
            reason = handover
                    ? "start the new version beside the old one, hand over, then retire the old one: no other bundle"
                            + " is wired to the packages of the bundles it replaces"
                    : "update in place and refresh the dependency closure, since " + blocker;
        }
        changes = handover ? besideLocations(changes) : inPlace(changes);

        List<String> closureNames = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> handedOver = new ArrayList<>();
        Set<String> services = new TreeSet<>();
        Set<String> consumers = new TreeSet<>();
        Set<Long> closureIds = new HashSet<>();
        closure.forEach(b -> closureIds.add(b.getBundleId()));
        for (Bundle bundle : closure) {
            closureNames.add(bundle.getSymbolicName());
            if (bundle.getState() == Bundle.ACTIVE || bundle.getState() == Bundle.STARTING) {
                (handover ? handedOver : restarted).add(bundle.getSymbolicName());
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
        if (handover) {
            ConsumerGaps gaps = consumerGaps(closureIds);
            consumers.retainAll(gaps.staticConsumers());
            if (!handedOver.isEmpty()) {
                notes.add("handed over, not restarted: " + String.join(", ", handedOver) + "; the new version's"
                        + " services are registered before the old one's go");
            }
            if (!gaps.dynamicConsumers().isEmpty()) {
                notes.add("rebind through the registry without a gap (dynamic references): "
                        + String.join(", ", gaps.dynamicConsumers()));
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
        PatchPlan plan = new PatchPlan(descriptor, handover ? Strategy.HANDOVER : Strategy.REFRESH,
                handover ? reason : reason + " (" + closure.size() + " bundle" + (closure.size() == 1 ? "" : "s") + ")",
                bundleChanges, closureNames, restarted, List.copyOf(services), components, List.copyOf(consumers), notes);
        return new Planned(plan, changes, List.copyOf(closure));
    }

    /**
     * Why strategy handover would not be safe, or null when it is: it replaces bundles that only
     * they themselves are wired to, so the old and the new version can run side by side and only
     * the old revision needs a refresh.
     */
    private String handoverBlocker(List<Change> changes, Map<String, Manifest> newManifests) {
        boolean replacesAny = false;
        for (Change change : changes) {
            if (change.kind() == Change.Kind.UNINSTALL) {
                return "it uninstalls " + change.symbolicName();
            }
            if (change.kind() != Change.Kind.UPDATE) {
                continue;
            }
            replacesAny = true;
            String name = change.symbolicName();
            Bundle bundle = context.getBundle(change.location());
            if (bundle == null) {
                return name + " is not installed at " + change.location();
            }
            if (bundle.getState() != Bundle.ACTIVE) {
                return name + " is not active";
            }
            if (bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
                return name + " is a fragment";
            }
            Manifest manifest = newManifests.get(name);
            String newName = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            String oldName = bundle.getHeaders("").get(Constants.BUNDLE_SYMBOLICNAME);
            if (isSingleton(newName) || isSingleton(oldName)) {
                return name + " is a singleton, so two versions cannot be resolved at once";
            }
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            if (wiring == null) {
                return name + " is not resolved";
            }
            for (BundleWire wire : wiring.getProvidedWires(null)) {
                Bundle requirer = wire.getRequirer().getBundle();
                if (requirer.getBundleId() == bundle.getBundleId()) {
                    continue;
                }
                String namespace = wire.getCapability().getNamespace();
                if (namespace.equals(HostNamespace.HOST_NAMESPACE)) {
                    return "fragment " + requirer.getSymbolicName() + " is attached to " + name;
                }
                Object pkg = wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
                return requirer.getSymbolicName() + " is wired to " + name
                        + (pkg == null ? " (" + namespace + ")" : " (imports its package " + pkg + ")");
            }
        }
        return replacesAny ? null : "the patch replaces no bundle";
    }

    private static boolean isSingleton(String symbolicNameHeader) {
        return symbolicNameHeader != null && symbolicNameHeader.replace(" ", "").contains("singleton:=true");
    }

    /** Handover installs each new version at a location of its own: the level's, if free, or a new one. */
    private List<Change> besideLocations(List<Change> changes) {
        List<Change> placed = new ArrayList<>();
        for (Change change : changes) {
            if (change.kind() != Change.Kind.UPDATE) {
                placed.add(change);
                continue;
            }
            String location = change.toLocation();
            if (location.equals(change.location()) || context.getBundle(location) != null) {
                String base = "patchbay:bundle/" + change.symbolicName() + "/" + change.toVersion();
                location = base;
                for (int n = 2; context.getBundle(location) != null; n++) {
                    location = base + "#" + n;
                }
            }
            placed.add(change.at(location));
        }
        return placed;
    }

    private static List<Change> inPlace(List<Change> changes) {
        return changes.stream().map(c -> c.kind() == Change.Kind.UPDATE ? c.at(c.location()) : c).toList();
    }

    /**
     * Consumers of the closure's services, by the kind of reference they hold.
     *
     * @param staticConsumers  bundles with a static reference to one of them
     * @param dynamicConsumers "bundle (component.reference)" for each dynamic reference to one
     */
    private record ConsumerGaps(Set<String> staticConsumers, Set<String> dynamicConsumers) {
    }

    /**
     * Under handover a consumer with a static reference is deactivated and activated again (a
     * gap); a dynamic one is rebound to the new service before the old one is unbound (none).
     */
    private ConsumerGaps consumerGaps(Set<Long> closureIds) {
        Set<Long> serviceIds = new HashSet<>();
        for (Long id : closureIds) {
            Bundle bundle = context.getBundle(id);
            ServiceReference<?>[] registered = bundle == null ? null : bundle.getRegisteredServices();
            if (registered != null) {
                for (ServiceReference<?> reference : registered) {
                    serviceIds.add((Long) reference.getProperty(Constants.SERVICE_ID));
                }
            }
        }
        Set<String> staticConsumers = new TreeSet<>();
        Set<String> dynamicConsumers = new TreeSet<>();
        if (scr == null) {
            return new ConsumerGaps(staticConsumers, dynamicConsumers);
        }
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (closureIds.contains(description.bundle.id)) {
                continue;
            }
            Map<String, String> policies = new HashMap<>();
            for (ReferenceDTO reference : description.references) {
                policies.put(reference.name, reference.policy);
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                for (SatisfiedReferenceDTO bound : configuration.satisfiedReferences) {
                    for (ServiceReferenceDTO service : bound.boundServices) {
                        if (!serviceIds.contains(service.id)) {
                            continue;
                        }
                        if ("static".equals(policies.get(bound.name))) {
                            staticConsumers.add(description.bundle.symbolicName);
                        } else {
                            dynamicConsumers.add(description.bundle.symbolicName + " (" + description.name + "."
                                    + bound.name + ")");
                        }
                    }
                }
            }
        }
        return new ConsumerGaps(staticConsumers, dynamicConsumers);
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

    /** @return the one-line summary of a plan that the plan stage reports */
    public static String summary(PatchPlan plan) {
        boolean handover = plan.strategy() == Strategy.HANDOVER;
        String closure = plan.closure().isEmpty() ? "nothing" : String.join(", ", plan.closure());
        return plan.strategy() + ": " + (handover ? "start beside and retire " : "refresh ") + closure + "; "
                + plan.services().size() + " service" + (plan.services().size() == 1 ? "" : "s") + " and "
                + plan.components().size() + " component" + (plan.components().size() == 1 ? "" : "s")
                + (handover ? " handed over, " + plan.consumers().size() + " consumer"
                        + (plan.consumers().size() == 1 ? "" : "s") + " with a gap" : " restart");
    }
}
