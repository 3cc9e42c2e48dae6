package io.patchbay.engine.internal.leaks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The cleaner's rules, with stand-ins for the private tables it reaches into. That it frees
 * retired bundles in a real framework is shown by {@code HandoverIT}.
 */
class UninstalledBundleCleanerTest {

    /** Shaped like Felix Log 1.3's cache key. */
    static final class LoggerKey {
        private final Bundle m_bundle;

        LoggerKey(Bundle bundle) {
            this.m_bundle = bundle;
        }
    }

    /** Shaped like Felix Log 1.3's LoggerAdmin. */
    static final class LoggerAdmin {
        private final Map<Object, Object> _loggers = new ConcurrentHashMap<>();
    }

    @Test
    void removesOnlyEntriesOfUninstalledBundles() {
        Bundle gone = bundle("demo", "1.0.0", Bundle.UNINSTALLED);
        Bundle active = bundle("demo", "1.0.1", Bundle.ACTIVE);
        Map<Object, String> table = new HashMap<>(Map.of(gone, "a", active, "b", "not a bundle", "c"));
        assertEquals(1, UninstalledBundleCleaner.removeUninstalled(table, key -> key instanceof Bundle b ? b : null));
        assertEquals(Map.of(active, "b", "not a bundle", "c"), table);
    }

    @Test
    void findsTheLoggerCacheOfTheFelixLogItWasCheckedAgainst() {
        LoggerAdmin admin = new LoggerAdmin();
        admin._loggers.put(new LoggerKey(bundle("demo", "1.0.0", Bundle.ACTIVE)), "logger");
        Map<?, ?> cache = UninstalledBundleCleaner.loggerCache(bundle("org.apache.felix.log", "1.3.0", Bundle.ACTIVE),
                admin, warning -> { });
        assertSame(admin._loggers, cache);
    }

    @Test
    void leavesAnotherLogServiceOrVersionAloneAndSaysWhy() {
        LoggerAdmin admin = new LoggerAdmin();
        assertNull(UninstalledBundleCleaner.loggerCache(bundle("org.example.log", "1.3.0", Bundle.ACTIVE), admin,
                warning -> { }));
        String said = warningsOf(warn -> assertNull(UninstalledBundleCleaner.loggerCache(
                bundle("org.apache.felix.log", "1.4.0", Bundle.ACTIVE), admin, warn)));
        assertTrue(said.contains("org.apache.felix.log 1.4.0 is not in [1.3.0,1.4.0)"), said);
        admin._loggers.put("a key that names no bundle", "logger");
        said = warningsOf(warn -> assertNull(UninstalledBundleCleaner.loggerCache(
                bundle("org.apache.felix.log", "1.3.0", Bundle.ACTIVE), admin, warn)));
        assertTrue(said.contains("not where org.apache.felix.log 1.3.0 keeps it"), said);
    }

    @Test
    void leavesAnotherFrameworkAlone() {
        String said = warningsOf(warn -> assertNull(UninstalledBundleCleaner.serviceUseTable(
                bundle("org.apache.felix.framework", "7.1.0", Bundle.ACTIVE), warn)));
        assertTrue(said.contains("org.apache.felix.framework 7.1.0 is not in [7.0.0,7.1.0)"), said);
        said = warningsOf(warn -> assertNull(UninstalledBundleCleaner.serviceUseTable(
                bundle("org.eclipse.osgi", "3.18.0", Bundle.ACTIVE), warn)));
        assertTrue(said.contains("not org.apache.felix.framework's"), said);
    }

    /** @return the warnings the action gave, one a line */
    private static String warningsOf(Consumer<Consumer<String>> action) {
        List<String> warnings = new ArrayList<>();
        action.accept(warnings::add);
        return String.join("\n", warnings);
    }

    /** A bundle that answers its name, version and state, and is equal only to itself. */
    private static Bundle bundle(String symbolicName, String version, int state) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> symbolicName;
                    case "getVersion" -> Version.parseVersion(version);
                    case "getState" -> state;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> symbolicName + " " + version;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
