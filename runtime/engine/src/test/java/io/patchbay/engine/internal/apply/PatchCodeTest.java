package io.patchbay.engine.internal.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;

class PatchCodeTest {

    private final PatchCode patchCode = new PatchCode(100);

    @Test
    void aCallThatNeverReturnsIsAbandonedAndTheBundleIsNotCalledAgain() throws Exception {
        Bundle bundle = bundle(7, "io.patchbay.demo.policy", "1.0.12");
        CountDownLatch never = new CountDownLatch(1);
        PatchCodeHungException hung = assertThrows(PatchCodeHungException.class,
                () -> patchCode.call(bundle, "starting", () -> awaitIgnoringInterrupts(never)));
        assertEquals("io.patchbay.demo.policy 1.0.12 did not return from starting within 100 ms (its activator or a"
                + " component's activate or deactivate method does not return)", hung.getMessage());
        assertTrue(patchCode.anyHung());

        AtomicInteger calls = new AtomicInteger();
        PatchCodeHungException again = assertThrows(PatchCodeHungException.class,
                () -> patchCode.call(bundle, "uninstalling", calls::incrementAndGet));
        assertEquals(hung.getMessage(), again.getMessage());
        assertEquals(0, calls.get(), "the framework holds that bundle: calling would only wait again");
        never.countDown();
    }

    @Test
    void aCallThatReturnsWhenInterruptedFailsAsItsCodeSaysAndLeavesNothingHung() {
        Bundle bundle = bundle(8, "io.patchbay.demo.policy", "1.0.13");
        BundleException e = assertThrows(BundleException.class, () -> patchCode.call(bundle, "starting", () -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException interrupted) {
                throw new BundleException("activator interrupted", BundleException.ACTIVATOR_ERROR, interrupted);
            }
        }));
        assertEquals("activator interrupted", e.getMessage());
        assertFalse(patchCode.anyHung());
    }

    @Test
    void whatTheCallThrowsReachesTheCallerAndAReturningCallReturns() throws Exception {
        Bundle bundle = bundle(9, "io.patchbay.demo.policy", "1.0.6");
        BundleException refused = new BundleException("refuses to start", BundleException.ACTIVATOR_ERROR);
        assertEquals(refused, assertThrows(BundleException.class, () -> patchCode.call(bundle, "starting", () -> {
            throw refused;
        })));
        IllegalStateException state = new IllegalStateException("uninstalled");
        assertEquals(state, assertThrows(IllegalStateException.class, () -> patchCode.call(bundle, "stopping", () -> {
            throw state;
        })));
        AtomicInteger calls = new AtomicInteger();
        patchCode.call(bundle, "starting", calls::incrementAndGet);
        new PatchCode(0).call(bundle, "starting", calls::incrementAndGet);
        assertEquals(2, calls.get());
        assertFalse(patchCode.anyHung());
    }

    @Test
    void aRefreshInWhichABundleStaysStoppingFailsNamingItButNotOneWaitingForLazyActivation() throws Exception {
        Bundle stopping = bundle(10, "io.patchbay.demo.policy", "1.0.13", Bundle.STOPPING, new Hashtable<>());
        Hashtable<String, String> lazy = new Hashtable<>(Map.of(Constants.BUNDLE_ACTIVATIONPOLICY, Constants.ACTIVATION_LAZY));
        Bundle waiting = bundle(11, "io.patchbay.demo.lazy", "1.0.0", Bundle.STARTING, lazy);
        Bundle active = bundle(12, "io.patchbay.demo.api", "1.0.2", Bundle.ACTIVE, new Hashtable<>());
        BundleContext context = framework(false, stopping, waiting, active);

        PatchCodeHungException hung = assertThrows(PatchCodeHungException.class,
                () -> patchCode.refresh(context, List.of(active)));
        assertEquals("io.patchbay.demo.policy 1.0.13 did not return from stopping within 100 ms while the framework"
                + " refreshed (its activator or a component's activate or deactivate method does not return)",
                hung.getMessage());
        assertTrue(patchCode.anyHung());
        AtomicInteger calls = new AtomicInteger();
        assertThrows(PatchCodeHungException.class, () -> patchCode.call(stopping, "updating", calls::incrementAndGet));
        assertEquals(0, calls.get(), "the framework's refresh holds that bundle");
    }

    @Test
    void aRefreshTheFrameworkFinishesReturns() throws Exception {
        Bundle active = bundle(13, "io.patchbay.demo.api", "1.0.2", Bundle.ACTIVE, new Hashtable<>());
        patchCode.refresh(framework(true, active), List.of(active));
        assertFalse(patchCode.anyHung());
    }

    /** A framework that holds these bundles and whose refresh reports it finished at once, or never. */
    private static BundleContext framework(boolean refreshFinishes, Bundle... bundles) {
        Bundle system = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "adapt" -> Proxy.newProxyInstance(FrameworkWiring.class.getClassLoader(),
                            new Class<?>[] {FrameworkWiring.class}, (wiring, refresh, refreshArgs) -> {
                                if (refreshFinishes) {
                                    for (FrameworkListener listener : (FrameworkListener[]) refreshArgs[1]) {
                                        listener.frameworkEvent(new FrameworkEvent(FrameworkEvent.PACKAGES_REFRESHED,
                                                (Bundle) proxy, null));
                                    }
                                }
                                return null;
                            });
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getBundle" -> system;
                    case "getBundles" -> bundles;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                // as the hanging demo activator does
            }
        }
    }

    /** Only the identity a bundle's name is made of. */
    private static Bundle bundle(long id, String symbolicName, String version) {
        return bundle(id, symbolicName, version, Bundle.INSTALLED, null);
    }

    /** The identity, a state that does not change, and the headers. */
    private static Bundle bundle(long id, String symbolicName, String version, int state,
            Dictionary<String, String> headers) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> id;
                    case "getSymbolicName" -> symbolicName;
                    case "getVersion" -> Version.parseVersion(version);
                    case "getState" -> state;
                    case "getHeaders" -> headers;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
