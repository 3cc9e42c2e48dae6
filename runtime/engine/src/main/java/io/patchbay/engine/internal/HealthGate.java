package io.patchbay.engine.internal;

import io.patchbay.patch.HealthCheck;
import io.patchbay.patch.HealthResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * Stage {@code health}: is the runtime at least as healthy as before the change? Every bundle
 * that was active must be active again and every component that was active must be active again
 * (it waits for them, up to the activation timeout; a component may be gone only when the
 * operation changed the bundle that declared it, since a new version may drop a component);
 * then, during a settle window, no framework
 * error may occur; then every registered {@link HealthCheck} must pass. Framework errors are
 * collected from the moment {@link #watch()} is called, so that errors during the swap count.
 */
final class HealthGate implements FrameworkListener {

    static final long CHECK_TIMEOUT_SECONDS = 5;

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final EngineSettings settings;
    private final List<String> frameworkErrors = new CopyOnWriteArrayList<>();
    private final Map<String, String> declaredBy = new HashMap<>();

    HealthGate(BundleContext context, ServiceComponentRuntime scr, EngineSettings settings) {
        this.context = context;
        this.scr = scr;
        this.settings = settings;
    }

    void watch() {
        frameworkErrors.clear();
        declaredBy.clear();
        if (scr != null) {
            scr.getComponentDescriptionDTOs().forEach(d -> declaredBy.put(d.name, d.bundle.symbolicName));
        }
        context.addFrameworkListener(this);
    }

    void stopWatching() {
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
    List<String> check(Snapshot before, Collection<String> startProblems, Collection<String> changedBundles)
            throws InterruptedException {
        List<String> failures = new ArrayList<>(startProblems);
        long deadline = System.currentTimeMillis() + settings.activationMillis();
        List<String> missing = missing(before, Snapshot.take(context, scr), changedBundles);
        // Waiting cannot mend a failed activation or a bundle that already failed to start.
        while (!missing.isEmpty() && System.currentTimeMillis() < deadline && frameworkErrors.isEmpty()
                && startProblems.isEmpty() && missing.stream().noneMatch(m -> m.contains("FAILED_ACTIVATION"))) {
            Thread.sleep(25);
            missing = missing(before, Snapshot.take(context, scr), changedBundles);
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

    /** Bundles and components active before that are not active now. */
    private List<String> missing(Snapshot before, Snapshot now, Collection<String> changedBundles) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> bundle : before.bundles().entrySet()) {
            if (bundle.getValue().contains(" ACTIVE ")) {
                String after = now.bundles().get(bundle.getKey());
                if (after == null || !after.contains(" ACTIVE ")) {
                    missing.add("bundle " + bundle.getKey() + " was ACTIVE, is "
                            + (after == null ? "gone" : after.split(" ")[2]));
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
