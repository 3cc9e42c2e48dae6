package io.patchbay.engine.internal.health;

import io.patchbay.engine.internal.apply.BundleSwapper;
import io.patchbay.engine.internal.config.EngineSettings;
import io.patchbay.engine.internal.config.ManagedBundles;
import io.patchbay.engine.internal.plan.Change;
import io.patchbay.patch.health.HealthCheck;
import io.patchbay.patch.health.HealthResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * Stage {@code health}: is the runtime at least as healthy as before the change, and does it hold
 * what the operation's target level holds? Every bundle that was active must be active again,
 * except one the operation uninstalls, which must be gone; every bundle the operation installs
 * must be active (a fragment never is; a lazily activated one may wait for its first use); every
 * component that was active must be active again (it waits for all of this, up to the activation
 * timeout; a component may be gone only when the
 * operation changed the bundle that declared it, since a new version may drop a component);
 * then, during a settle window, no framework
 * error may occur; then every registered {@link HealthCheck} must pass. Framework errors are
 * collected from the moment {@link #watch()} is called, so that errors during the swap count.
 */
public final class HealthGate implements FrameworkListener {

    static final long CHECK_TIMEOUT_SECONDS = 5;

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final EngineSettings settings;
    private final List<String> frameworkErrors = new CopyOnWriteArrayList<>();
    private final Map<String, String> declaredBy = new HashMap<>();

    public HealthGate(BundleContext context, ServiceComponentRuntime scr, EngineSettings settings) {
        this.context = context;
        this.scr = scr;
        this.settings = settings;
    }

    public void watch() {
        frameworkErrors.clear();
        declaredBy.clear();
        if (scr != null) {
            scr.getComponentDescriptionDTOs().forEach(d -> declaredBy.put(d.name, d.bundle.symbolicName));
        }
        context.addFrameworkListener(this);
    }

    public void stopWatching() {
        context.removeFrameworkListener(this);
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR) {
            Bundle bundle = event.getBundle();
            frameworkErrors.add("framework error in " + (bundle == null ? "?" : bundle.getSymbolicName()) + ": "
                    + BundleSwapper.rootMessage(event.getThrowable()));
        }
    }

    /** @return what is worse than before, one line each; empty when healthy */
    public List<String> check(Snapshot before, Collection<String> startProblems, List<Change> changes)
            throws InterruptedException {
        List<String> failures = new ArrayList<>(startProblems);
        long deadline = System.currentTimeMillis() + settings.activationMillis();
        List<String> missing = missing(before, Snapshot.take(context, scr), changes);
        // Waiting cannot mend a failed activation or a bundle that already failed to start.
        while (!missing.isEmpty() && System.currentTimeMillis() < deadline && frameworkErrors.isEmpty()
                && startProblems.isEmpty() && missing.stream().noneMatch(m -> m.contains("FAILED_ACTIVATION"))) {
            Thread.sleep(25);
            missing = missing(before, Snapshot.take(context, scr), changes);
        }
        failures.addAll(missing);
        if (failures.isEmpty()) {
            Thread.sleep(settings.settleMillis());
        }
        failures.addAll(frameworkErrors);
        if (failures.isEmpty()) {
            failures.addAll(runHealthChecks());
        }
        return failures;
    }

    /** Asks one check on its own thread, so that a check that hangs cannot hold the patch lock forever. */
    private static HealthResult answer(HealthCheck check)
            throws InterruptedException, ExecutionException, TimeoutException {
        FutureTask<HealthResult> task = new FutureTask<>(check::check);
        Thread thread = new Thread(task, "patchbay-health-check");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            task.cancel(true);
        }
    }

    /** Bundles and components active before that are not active now, and bundles not as the target holds them. */
    private List<String> missing(Snapshot before, Snapshot now, List<Change> changes) {
        List<String> missing = new ArrayList<>();
        Set<String> changedBundles = new HashSet<>();
        Set<String> uninstalled = new HashSet<>();
        for (Change change : changes) {
            String bsn = change.symbolicName();
            String after = now.bundles().get(bsn);
            changedBundles.add(bsn);
            if (change.kind() == Change.Kind.UNINSTALL) {
                uninstalled.add(bsn);
                if (after != null) {
                    missing.add("bundle " + bsn + " should be gone, is " + stateIn(after));
                }
            } else if (change.kind() == Change.Kind.INSTALL && !isActiveAsInstalled(bsn, after)) {
                missing.add("bundle " + bsn + " was installed, is " + stateIn(after));
            }
        }
        for (Map.Entry<String, String> bundle : before.bundles().entrySet()) {
            if (bundle.getValue().contains(" ACTIVE ") && !uninstalled.contains(bundle.getKey())) {
                String after = now.bundles().get(bundle.getKey());
                if (after == null || !after.contains(" ACTIVE ")) {
                    missing.add("bundle " + bundle.getKey() + " was ACTIVE, is " + stateIn(after));
                }
            }
        }
        for (Map.Entry<String, String> component : before.components().entrySet()) {
            String was = component.getValue();
            String is = now.components().getOrDefault(component.getKey(), "gone");
            if (is.equals("gone") && changedBundles.contains(declaredBy.get(component.getKey()))) {
                continue; // the new version of its bundle does not declare it
            }
            if (was.equals("ACTIVE") && !is.equals("ACTIVE")) {
                missing.add("component " + component.getKey() + " was ACTIVE, is " + (is.isEmpty() ? "not enabled" : is));
            } else if (was.equals("SATISFIED") && !is.equals("SATISFIED") && !is.equals("ACTIVE")) {
                missing.add("component " + component.getKey() + " was SATISFIED, is " + (is.isEmpty() ? "not enabled" : is));
            }
        }
        return missing;
    }

    /** @return the state in a snapshot's bundle entry, or "gone" for none */
    private static String stateIn(String bundleEntry) {
        return bundleEntry == null ? "gone" : bundleEntry.split(" ")[2];
    }

    /** Whether a bundle the operation installed runs as it should: active, or never started (fragment, lazy). */
    private boolean isActiveAsInstalled(String symbolicName, String now) {
        if (now != null && now.contains(" ACTIVE ")) {
            return true;
        }
        Optional<Bundle> bundle = ManagedBundles.find(context, symbolicName);
        if (bundle.isEmpty()) {
            return false;
        }
        Dictionary<String, String> headers = bundle.get().getHeaders("");
        String policy = headers.get(Constants.BUNDLE_ACTIVATIONPOLICY);
        return headers.get(Constants.FRAGMENT_HOST) != null
                || bundle.get().getState() == Bundle.STARTING && policy != null
                        && policy.trim().startsWith(Constants.ACTIVATION_LAZY);
    }

    private List<String> runHealthChecks() {
        List<String> failures = new ArrayList<>();
        Collection<ServiceReference<HealthCheck>> references;
        try {
            references = context.getServiceReferences(HealthCheck.class, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (ServiceReference<HealthCheck> reference : references) {
            HealthCheck check = context.getService(reference);
            if (check == null) {
                continue;
            }
            Object nameProperty = reference.getProperty("name");
            String name = nameProperty == null ? check.getClass().getName() : nameProperty.toString();
            try {
                HealthResult result = answer(check);
                if (result == null || !result.healthy()) {
                    failures.add("health check " + name + " failed: " + (result == null ? "no answer" : result.message()));
                }
            } catch (TimeoutException e) {
                failures.add("health check " + name + " did not answer within " + CHECK_TIMEOUT_SECONDS + " s");
            } catch (ExecutionException e) {
                failures.add("health check " + name + " threw " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add("health check " + name + " was interrupted");
            } finally {
                context.ungetService(reference);
            }
        }
        return failures;
    }
}
