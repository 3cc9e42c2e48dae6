package io.patchbay.it.bench;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The harness's own leak count, the same for every scenario: a weak reference to the class
 * loader of each revision a swap is about to retire, and, after the run and a few full
 * collections, how many of them are still reachable.
 */
final class RetiredRevisions {

    private final List<WeakReference<ClassLoader>> loaders = new ArrayList<>();

    /** Call just before a swap replaces {@code bundle}'s current revision. */
    void retiring(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        ClassLoader loader = wiring == null ? null : wiring.getClassLoader();
        if (loader != null) {
            loaders.add(new WeakReference<>(loader));
        }
    }

    /** @return how many retired class loaders survive full collections */
    int reachable() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return (int) loaders.stream().filter(ref -> ref.get() != null).count();
    }
}
