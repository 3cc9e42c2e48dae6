package io.patchbay.engine.internal.apply;

import io.patchbay.engine.internal.config.EngineSettings;
import io.patchbay.engine.internal.health.Snapshot;
import io.patchbay.engine.internal.leaks.RevisionWatch;
import io.patchbay.engine.internal.ledger.BundleStore;
import io.patchbay.engine.internal.plan.Change;
import io.patchbay.patch.handover.HandedOverState;
import io.patchbay.patch.handover.HandoverParticipant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Strategy {@code handover}: make before break. For every bundle the patch replaces:
 * <ol>
 * <li>install the new version beside the old one, at its own location and the old one's start
 *     level;</li>
 * <li>take the state of the old version's {@link HandoverParticipant}s (they stop changing it)
 *     and keep it for the new version;</li>
 * <li>start the new version and wait until its components are as active as the old ones were, so
 *     its services are registered while the old ones still are, and every state was received;</li>
 * <li>let both versions serve for a short overlap window. A {@code ServiceTracker} caches the
 *     reference it chose without holding a lock: a caller that chose the old one and was descheduled
 *     before caching it keeps that reference, dead, until the tracker's next service event. The
 *     overlap lets such callers finish choosing while the old service is still there;</li>
 * <li>stop the old version (transiently: should the JVM die now, recovery finds it startable).
 *     Declarative Services binds the remaining service before it unbinds the leaving one, so
 *     consumers with dynamic references never see a gap;</li>
 * <li>wait a short drain window for calls already inside the old version, then uninstall it and
 *     refresh only it: no other bundle is wired to it, which the planner made sure of.</li>
 * </ol>
 * A failure up to step 3 uninstalls the new versions and tells the participants to carry on, so
 * nothing has changed. Undoing a completed handover is a handover the other way, which brings
 * back the old jar at its old location.
 */
public final class HandoverSwapper implements Swapper {

    /** One bundle's part: the bundle leaving (null for an install) and the one arriving (null for an uninstall). */
    private record Pair(Change change, Bundle leaving, Bundle arriving) {
    }

    /** A participant asked for its state, so that it can be told if the handover is abandoned. */
    private record Asked(ServiceReference<HandoverParticipant> reference, HandoverParticipant participant) {
    }

    private final BundleContext context;
    private final BundleStore store;
    private final ServiceComponentRuntime scr;
    private final StateExchange exchange;
    private final RevisionWatch leaks;
    private final EngineSettings settings;
    private final String retiredBy;
    private final PatchCode patchCode;

    public HandoverSwapper(BundleContext context, BundleStore store, ServiceComponentRuntime scr, StateExchange exchange,
            RevisionWatch leaks, EngineSettings settings, String retiredBy, PatchCode patchCode) {
        this.context = context;
        this.store = store;
        this.scr = scr;
        this.exchange = exchange;
        this.leaks = leaks;
        this.settings = settings;
        this.retiredBy = retiredBy;
        this.patchCode = patchCode;
    }

    @Override
    public List<String> apply(List<Change> changes, Collection<String> shouldBeActive, Steps steps,
            List<Change> completed) throws Exception {
        List<Pair> pairs = new ArrayList<>();
        List<Asked> asked = new ArrayList<>();
        try {
            for (Change change : changes) {
                switch (change.kind()) {
                    case UPDATE -> {
                        Bundle leaving = at(change.location(), change);
                        Bundle arriving = install(change.toLocation(), change);
                        pairs.add(new Pair(change, leaving, arriving));
                        BundleStartLevel level = leaving.adapt(BundleStartLevel.class);
                        if (level != null && arriving.getBundleId() != leaving.getBundleId()) {
                            arriving.adapt(BundleStartLevel.class).setStartLevel(level.getStartLevel());
                        }
                        steps.step("installed " + change.symbolicName() + " " + change.toVersion() + " beside "
                                + change.fromVersion());
                    }
                    case INSTALL -> {
                        pairs.add(new Pair(change, null, install(change.location(), change)));
                        steps.step("installed " + change.symbolicName() + " " + change.toVersion());
                    }
                    case UNINSTALL -> pairs.add(new Pair(change, at(change.location(), change), null));
                    case UNCHANGED -> { }
                }
            }
            for (Pair pair : pairs) {
                if (pair.leaving() != null && pair.arriving() != null) {
                    takeState(pair, asked);
                }
            }
            if (!asked.isEmpty()) {
                steps.step("state taken from " + asked.size() + " participant" + (asked.size() == 1 ? "" : "s"));
            }
            Map<String, Map<String, Integer>> wasActive = new HashMap<>();
            for (Pair pair : pairs) {
                if (pair.arriving() != null) {
                    wasActive.put(pair.change().symbolicName(), componentStates(pair.leaving()));
                    try {
                        patchCode.call(pair.arriving(), "starting", pair.arriving()::start);
                    } catch (PatchCodeHungException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(pair.change().symbolicName() + " " + pair.change().toVersion()
                                + " did not start: " + BundleSwapper.rootMessage(e));
                    }
                }
            }
            awaitComponents(pairs, wasActive);
            List<String> untaken = exchange.clear();
            if (!untaken.isEmpty()) {
                throw new IllegalStateException("the new version did not receive the state '" + untaken.get(0)
                        + "' its predecessor handed over");
            }
            steps.step("started the new versions beside the old");
        } catch (Exception | Error e) {
            abandon(pairs, asked);
            throw e;
        } finally {
            asked.forEach(a -> context.ungetService(a.reference()));
        }
        // From here the new versions serve; undoing means a handover back.
        pairs.forEach(p -> completed.add(p.change()));
        Thread.sleep(settings.overlapMillis());
        List<Bundle> leaving = new ArrayList<>();
        for (Pair pair : pairs) {
            if (pair.leaving() != null && (pair.arriving() == null
                    || pair.leaving().getBundleId() != pair.arriving().getBundleId())) {
                leaks.retiring(pair.leaving(), retiredBy);
                patchCode.call(pair.leaving(), "stopping", () -> pair.leaving().stop(Bundle.STOP_TRANSIENT));
                leaving.add(pair.leaving());
            }
        }
        steps.step("stopped the old versions");
        Thread.sleep(settings.drainMillis());
        for (Bundle bundle : leaving) {
            bundle.uninstall();
        }
        steps.step("uninstalled the old versions");
        if (!leaving.isEmpty()) {
            patchCode.refresh(context, leaving);
        }
        steps.step("refreshed");
        return List.of();
    }

    /** A completed handover is undone by one the other way; if that fails, by updating in place. */
    @Override
    public List<String> undo(List<Change> completed, Collection<String> shouldBeActive, Steps steps) {
        if (completed.isEmpty()) {
            return List.of(); // a handover that failed early has undone itself
        }
        List<Change> back = new ArrayList<>();
        for (int i = completed.size() - 1; i >= 0; i--) {
            back.add(completed.get(i).inverse());
        }
        try {
            apply(back, shouldBeActive, steps, new ArrayList<>());
            return List.of();
        } catch (Exception e) {
            return new BundleSwapper(context, store, leaks, retiredBy, patchCode).undo(completed, shouldBeActive, steps);
        }
    }

    private void takeState(Pair pair, List<Asked> asked) throws Exception {
        ServiceReference<?>[] registered = pair.leaving().getRegisteredServices();
        if (registered == null) {
            return;
        }
        for (ServiceReference<?> reference : registered) {
            String[] classes = (String[]) reference.getProperty(Constants.OBJECTCLASS);
            if (!List.of(classes).contains(HandoverParticipant.class.getName())) {
                continue;
            }
            @SuppressWarnings("unchecked")
            ServiceReference<HandoverParticipant> participantRef = (ServiceReference<HandoverParticipant>) reference;
            Object key = reference.getProperty(HandoverParticipant.KEY);
            if (!(key instanceof String name) || name.isBlank()) {
                throw new IllegalStateException("a handover participant of " + pair.change().symbolicName()
                        + " has no " + HandoverParticipant.KEY + " property");
            }
            HandoverParticipant participant = context.getService(participantRef);
            if (participant == null) {
                continue;
            }
            asked.add(new Asked(participantRef, participant));
            Map<String, Object> values;
            try {
                values = participant.handOverState();
            } catch (Exception e) {
                throw new IllegalStateException(pair.change().symbolicName() + " " + pair.change().fromVersion()
                        + " refused to hand over its state '" + name + "': " + BundleSwapper.rootMessage(e));
            }
            if (values == null) {
                throw new IllegalStateException(pair.change().symbolicName() + " " + pair.change().fromVersion()
                        + " handed over no state for '" + name + "'");
            }
            exchange.offer(pair.leaving(), pair.arriving(), new HandedOverState(name, values,
                    pair.leaving().getSymbolicName(), pair.leaving().getVersion()));
        }
    }

    /** Undoes the first steps: the new versions go, the old ones carry on with their state. */
    private void abandon(List<Pair> pairs, List<Asked> asked) {
        exchange.clear();
        List<Bundle> arrived = new ArrayList<>();
        for (Pair pair : pairs) {
            Bundle arriving = pair.arriving();
            if (arriving != null && (pair.leaving() == null || arriving.getBundleId() != pair.leaving().getBundleId())) {
                try {
                    patchCode.call(arriving, "uninstalling", arriving::uninstall);
                    arrived.add(arriving);
                } catch (Exception e) {
                    // Recovery at the next start removes what is left; the health gate reports it now.
                }
            }
        }
        for (Asked a : asked) {
            try {
                a.participant().handoverAbandoned();
            } catch (RuntimeException e) {
                // It was told; there is nothing more Patchbay can do for it.
            }
        }
        try {
            // Not while a patch's code does not return: the refresh would only wait for it.
            if (!arrived.isEmpty() && !patchCode.anyHung()) {
                patchCode.refresh(context, arrived);
            }
        } catch (Exception e) {
            // A refresh that fails leaves uninstalled bundles pending removal; the leak report shows them.
        }
    }

    /**
     * Waits until every component of each new version is at least as far as the same component
     * of the old version was (active or satisfied means its services are registered), and fails
     * at once on a failed activation.
     */
    private void awaitComponents(List<Pair> pairs, Map<String, Map<String, Integer>> wasActive) throws Exception {
        long deadline = System.nanoTime() + settings.activationMillis() * 1_000_000L;
        while (true) {
            String waitingFor = null;
            for (Pair pair : pairs) {
                if (pair.arriving() == null) {
                    continue;
                }
                if (pair.arriving().getState() != Bundle.ACTIVE) {
                    waitingFor = pair.change().symbolicName() + " " + pair.change().toVersion() + " to be active";
                    continue;
                }
                Map<String, Integer> before = wasActive.getOrDefault(pair.change().symbolicName(), Map.of());
                Map<String, Integer> states = componentStates(pair.arriving());
                if (states.isEmpty() && pair.arriving().getHeaders("").get("Service-Component") != null) {
                    // Declarative Services has not read the new version's components yet; stopping
                    // the old version now would leave its consumers without a service.
                    waitingFor = "Declarative Services to take up " + pair.change().symbolicName() + " "
                            + pair.change().toVersion();
                    continue;
                }
                for (Map.Entry<String, Integer> now : states.entrySet()) {
                    int state = now.getValue();
                    if (state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        throw new IllegalStateException("component " + now.getKey() + " of " + pair.change().symbolicName()
                                + " " + pair.change().toVersion() + " failed to activate");
                    }
                    Integer old = before.get(now.getKey());
                    boolean oldServed = old == null || old == ComponentConfigurationDTO.ACTIVE
                            || old == ComponentConfigurationDTO.SATISFIED;
                    if (oldServed && state != ComponentConfigurationDTO.ACTIVE
                            && state != ComponentConfigurationDTO.SATISFIED) {
                        waitingFor = "component " + now.getKey() + " of " + pair.change().symbolicName() + " "
                                + pair.change().toVersion() + " (" + Snapshot.componentState(state) + ")";
                    }
                }
            }
            if (waitingFor == null) {
                waitingFor = missingService(pairs);
            }
            if (waitingFor == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + waitingFor + " after "
                        + settings.activationMillis() + " ms");
            }
            Thread.sleep(5);
        }
    }

    /**
     * A service that a component of the old version registered and the same component of the new
     * version has not registered yet, or null. A satisfied component can be reported a moment
     * before its service is in the registry; the old version must not go before it is.
     */
    private String missingService(List<Pair> pairs) {
        for (Pair pair : pairs) {
            if (pair.leaving() == null || pair.arriving() == null) {
                continue;
            }
            Set<String> offered = new HashSet<>();
            ServiceReference<?>[] arriving = pair.arriving().getRegisteredServices();
            for (ServiceReference<?> reference : arriving == null ? new ServiceReference<?>[0] : arriving) {
                offered.add(serviceKey(reference));
            }
            Map<String, Integer> components = componentStates(pair.arriving());
            ServiceReference<?>[] leaving = pair.leaving().getRegisteredServices();
            for (ServiceReference<?> reference : leaving == null ? new ServiceReference<?>[0] : leaving) {
                Object component = reference.getProperty("component.name");
                if (component != null && components.containsKey(component.toString())
                        && !offered.contains(serviceKey(reference))) {
                    return "the service " + serviceKey(reference) + " of " + pair.change().symbolicName() + " "
                            + pair.change().toVersion();
                }
            }
        }
        return null;
    }

    private static String serviceKey(ServiceReference<?> reference) {
        return String.join(",", (String[]) reference.getProperty(Constants.OBJECTCLASS)) + " of "
                + reference.getProperty("component.name");
    }

    /** Component name to the state of its (first) configuration, for one bundle. */
    private Map<String, Integer> componentStates(Bundle bundle) {
        Map<String, Integer> states = new HashMap<>();
        if (bundle == null || scr == null) {
            return states;
        }
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                states.merge(description.name, configuration.state, HandoverSwapper::worse);
            }
        }
        return states;
    }

    private static int worse(int a, int b) {
        if (a == ComponentConfigurationDTO.FAILED_ACTIVATION || b == ComponentConfigurationDTO.FAILED_ACTIVATION) {
            return ComponentConfigurationDTO.FAILED_ACTIVATION;
        }
        return Math.min(a, b);
    }

    private Bundle at(String location, Change change) {
        Bundle bundle = context.getBundle(location);
        if (bundle == null || bundle.getState() == Bundle.UNINSTALLED) {
            throw new IllegalStateException(change.symbolicName() + " " + change.fromVersion() + " is not installed at "
                    + location);
        }
        return bundle;
    }

    private Bundle install(String location, Change change) throws Exception {
        return BundleCacheWrite.fromStore(context, store, change.toHash(),
                change.symbolicName() + " " + change.toVersion(), jar -> context.installBundle(location, jar));
    }
}
