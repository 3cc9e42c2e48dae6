package io.patchbay.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;

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
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> id;
                    case "getSymbolicName" -> symbolicName;
                    case "getVersion" -> Version.parseVersion(version);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
