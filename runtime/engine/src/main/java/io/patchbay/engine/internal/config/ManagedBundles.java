package io.patchbay.engine.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Which bundles patches may touch: every bundle but the framework itself and the bundles that
 * carry out patching (marked {@code Bundle-Category: patchbay-runtime}), which a patch must never
 * stop or refresh.
 */
public final class ManagedBundles {

    static final String RUNTIME_CATEGORY = "patchbay-runtime";
    public static final String FRAMEWORK_BSN = "org.apache.felix.framework";

    private ManagedBundles() {
    }

    public static boolean isProtected(Bundle bundle) {
        if (bundle.getBundleId() == 0) {
            return true;
        }
        String category = bundle.getHeaders("").get("Bundle-Category");
        return category != null && List.of(category.split("\\s*,\\s*")).contains(RUNTIME_CATEGORY);
    }

    public static List<Bundle> all(BundleContext context) {
        List<Bundle> managed = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (!isProtected(bundle) && bundle.getState() != Bundle.UNINSTALLED && bundle.getSymbolicName() != null) {
                managed.add(bundle);
            }
        }
        return managed;
    }

    /** @return every installed bundle with this symbolic name: two during a handover */
    public static List<Bundle> findAll(BundleContext context, String symbolicName) {
        List<Bundle> found = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName()) && bundle.getState() != Bundle.UNINSTALLED) {
                found.add(bundle);
            }
        }
        return found;
    }

    /** @return the one installed bundle with this symbolic name, protected ones included */
    public static Optional<Bundle> find(BundleContext context, String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName()) && bundle.getState() != Bundle.UNINSTALLED) {
                return Optional.of(bundle);
            }
        }
        return Optional.empty();
    }

    /** @return the symbolic names of the managed bundles that are active or starting now */
    public static List<String> active(BundleContext context) {
        List<String> active = new ArrayList<>();
        for (Bundle bundle : all(context)) {
            if (bundle.getState() == Bundle.ACTIVE || bundle.getState() == Bundle.STARTING) {
                active.add(bundle.getSymbolicName());
            }
        }
        return active;
    }
}
