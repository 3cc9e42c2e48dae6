package io.patchbay.engine.internal.leaks;

import io.patchbay.engine.internal.config.EngineLog;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.VersionRange;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Makes the platform forget bundles once they are uninstalled. A handover installs a new bundle
 * and uninstalls the old one, so anything that keeps a bundle object after its uninstall grows
 * with every swap; two parts of the platform do, found by the soak benchmark and a heap dump:
 * <ul>
 * <li>Felix framework 7.0 keeps, per bundle, a use count for every service the bundle ever got
 *     and released. A count that fell to zero is never removed, and the bundle's uninstall does
 *     not remove it either. Declarative Services gets Configuration Admin through every bundle it
 *     manages, so each such bundle stays in the service registry's table.</li>
 * <li>Felix Log 1.3 caches every {@code Logger} it hands out, keyed by the bundle it was asked
 *     for, and never removes one; Declarative Services asks for two for every bundle it manages.</li>
 * </ul>
 * Each retired bundle object keeps its manifest, archive and context (several KB). The class
 * loader is not kept, which is why leak detection does not see these.
 *
 * <p>Both tables are private, so this reaches into them by reflection, and only in the
 * implementations and versions it was checked against; for others it says so once in the log (a
 * warning) and leaves them alone. On each uninstall it removes the entries of bundles that are uninstalled:
 * neither owner looks at them again (a zero use count means nothing is in use; a new logger is
 * made on the next request). {@link #describe()} says, for the versions in use, whether it is active
 * (shown by {@code patch:status} and the HTTP API's status); the build checks that the distribution
 * ships versions inside {@link #FRAMEWORK_VERSIONS} and {@link #FELIX_LOG_VERSIONS}.
 */
@Component(immediate = true, service = UninstalledBundleCleaner.class)
public final class UninstalledBundleCleaner implements SynchronousBundleListener {

    static final String FRAMEWORK = "org.apache.felix.framework";
    static final VersionRange FRAMEWORK_VERSIONS = new VersionRange("[7.0.0,7.1.0)");
    static final String FELIX_LOG = "org.apache.felix.log";
    static final VersionRange FELIX_LOG_VERSIONS = new VersionRange("[1.3.0,1.4.0)");
    private static final String LOGGER_ADMIN = "org.osgi.service.log.admin.LoggerAdmin";
    private static final String IDLE = "not cleaning uninstalled bundles out of ";

    private final BundleContext context;
    /** The framework's service use counts by bundle, or null when not recognised. */
    private final Map<?, ?> serviceUse;
    private final ServiceTracker<Object, Map<?, ?>> loggerCaches;

    /**
     * Dynamic, so that the log service coming or going never restarts this component, and with it
     * the patch manager that requires it.
     */
    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger log;

    @Activate
    public UninstalledBundleCleaner(BundleContext context) throws InvalidSyntaxException {
        this.context = context;
        Consumer<String> warn = message -> EngineLog.warn(log, message);
        this.serviceUse = serviceUseTable(context.getBundle(Constants.SYSTEM_BUNDLE_ID), warn);
        this.loggerCaches = new ServiceTracker<>(context,
                context.createFilter("(" + Constants.OBJECTCLASS + "=" + LOGGER_ADMIN + ")"), null) {
            @Override
            public Map<?, ?> addingService(ServiceReference<Object> reference) {
                Object admin = context.getService(reference);
                Map<?, ?> cache = admin == null ? null : loggerCache(reference.getBundle(), admin, warn);
                if (cache == null) {
                    context.ungetService(reference);
                }
                return cache;
            }

            @Override
            public void removedService(ServiceReference<Object> reference, Map<?, ?> cache) {
                context.ungetService(reference);
            }
        };
        context.addBundleListener(this);
        loggerCaches.open();
        clean();
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
        loggerCaches.close();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.UNINSTALLED) {
            clean();
        }
    }

    /** @return one line: for the framework and the Felix Log in use, whether their tables are cleaned */
    public String describe() {
        Bundle framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        String log = Arrays.stream(context.getBundles()).filter(b -> FELIX_LOG.equals(b.getSymbolicName()))
                .findFirst().map(b -> (loggerCaches.isEmpty() ? "inactive" : "active") + " for " + FELIX_LOG + " "
                        + b.getVersion())
                .orElse("nothing to do for the log service (no " + FELIX_LOG + ")");
        return "Uninstalled-bundle cleaner: " + (serviceUse == null ? "inactive" : "active") + " for "
                + framework.getSymbolicName() + " " + framework.getVersion() + ", " + log + " (checked against "
                + FRAMEWORK + " " + FRAMEWORK_VERSIONS + ", " + FELIX_LOG + " " + FELIX_LOG_VERSIONS + ")";
    }

    /** @return how many entries were removed */
    int clean() {
        int removed = 0;
        if (serviceUse != null) {
            removed += removeUninstalled(serviceUse, key -> key instanceof Bundle bundle ? bundle : null);
        }
        for (Map<?, ?> cache : loggerCaches.getTracked().values()) {
            removed += removeUninstalled(cache, UninstalledBundleCleaner::loggerKeyBundle);
        }
        return removed;
    }

    /** Removes the entries whose key names an uninstalled bundle; returns how many. */
    static int removeUninstalled(Map<?, ?> table, Function<Object, Bundle> bundleOfKey) {
        List<Object> gone = new ArrayList<>();
        for (Object key : table.keySet()) {
            Bundle bundle = bundleOfKey.apply(key);
            if (bundle != null && bundle.getState() == Bundle.UNINSTALLED) {
                gone.add(key);
            }
        }
        gone.forEach(table::remove);
        return gone.size();
    }

    /** @return Felix's service use counts by bundle, or null (said to {@code warn}) for another framework */
    static Map<?, ?> serviceUseTable(Bundle framework, Consumer<String> warn) {
        if (!recognised(framework, FRAMEWORK, FRAMEWORK_VERSIONS, "the framework's service use counts", warn)) {
            return null;
        }
        Object registry = field(framework, "m_registry");
        Object table = registry == null ? null : field(registry, "m_inUseMap");
        if (table instanceof Map<?, ?> map) {
            return map;
        }
        warn.accept(IDLE + "the framework's service use counts: not where Felix " + framework.getVersion()
                + " keeps them");
        return null;
    }

    /** @return Felix Log's logger cache inside {@code admin}, or null (said to {@code warn}) for another log service */
    static Map<?, ?> loggerCache(Bundle provider, Object admin, Consumer<String> warn) {
        if (provider == null || !FELIX_LOG.equals(provider.getSymbolicName())) {
            return null; // another log service: nothing known to clean
        }
        if (!recognised(provider, FELIX_LOG, FELIX_LOG_VERSIONS, "the log service's logger cache", warn)) {
            return null;
        }
        if (field(admin, "_loggers") instanceof Map<?, ?> map
                && map.keySet().stream().allMatch(key -> loggerKeyBundle(key) != null)) {
            return map;
        }
        warn.accept(IDLE + "the log service's logger cache: not where " + FELIX_LOG + " "
                + provider.getVersion() + " keeps it");
        return null;
    }

    private static boolean recognised(Bundle bundle, String symbolicName, VersionRange versions, String what,
            Consumer<String> warn) {
        if (bundle == null || !symbolicName.equals(bundle.getSymbolicName())) {
            warn.accept(IDLE + what + ": they are not " + symbolicName + "'s");
            return false;
        }
        if (!versions.includes(bundle.getVersion())) {
            warn.accept(IDLE + what + ": " + symbolicName + " " + bundle.getVersion() + " is not in "
                    + versions + ", the versions this was checked against");
            return false;
        }
        return true;
    }

    private static Bundle loggerKeyBundle(Object key) {
        return field(key, "m_bundle") instanceof Bundle bundle ? bundle : null;
    }

    /** @return the value of the named field of {@code target} or of a superclass, or null */
    private static Object field(Object target, String name) {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
