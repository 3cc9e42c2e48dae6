package io.patchbay.it.bench;

import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The plain Felix path, without Patchbay: what Gogo {@code update} + {@code refresh} and Karaf's
 * {@code bundle:update -r} do. Each bundle is updated in place, then the bundles and their
 * dependency closure are refreshed, and the call returns once the framework says the refresh is done.
 */
final class FelixSwap {

    private FelixSwap() {
    }

    static void updateAndRefresh(BundleContext context, Map<Bundle, byte[]> jars) throws Exception {
        for (Map.Entry<Bundle, byte[]> jar : jars.entrySet()) {
            jar.getKey().update(new ByteArrayInputStream(jar.getValue()));
        }
        BlockingQueue<FrameworkEvent> done = new ArrayBlockingQueue<>(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(jars.keySet(), done::offer);
        FrameworkEvent event = done.poll(60, TimeUnit.SECONDS);
        if (event == null || event.getType() != FrameworkEvent.PACKAGES_REFRESHED) {
            throw new IllegalStateException("the refresh did not finish: " + (event == null ? "timeout" : event.getType()));
        }
    }
}
