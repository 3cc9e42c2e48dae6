package io.patchbay.engine.internal.plan;

import aQute.bnd.header.OSGiHeader;
import io.patchbay.engine.internal.config.ManagedBundles;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Capability;

/**
 * Stage {@code plan}: a bundle a patch installs may not export a package the platform exports,
 * that is the framework (the system bundle) or a bundle of the Patchbay runtime
 * ({@link ManagedBundles#isProtected}), at any version. Otherwise bundles resolved later would
 * wire to the patch's copy of the framework's or Patchbay's API instead of the real one, and a
 * rollback could not take that wiring back from them. Which packages those are is read from the
 * running bundles, not from a list, so it follows wherever the API lives.
 */
final class PlatformPackages {

    private PlatformPackages() {
    }

    /**
     * @param newManifests manifests of the bundles being installed or updated to, by symbolic name
     * @throws PatchException naming the first such bundle and every platform package it exports
     */
    static void refuseExports(BundleContext context, Map<String, Manifest> newManifests) throws PatchException {
        SortedMap<String, String> platform = exportedByPlatform(context);
        for (Map.Entry<String, Manifest> bundle : newManifests.entrySet()) {
            String exports = bundle.getValue().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (exports == null) {
                continue;
            }
            SortedMap<String, String> taken = new TreeMap<>();
            for (String clause : OSGiHeader.parseHeader(exports).keySet()) {
                String name = clause.replaceAll("~+$", ""); // bnd marks a repeated package with ~
                if (platform.containsKey(name)) {
                    taken.put(name, platform.get(name));
                }
            }
            if (!taken.isEmpty()) {
                List<String> named = new ArrayList<>();
                taken.forEach((name, provider) -> named.add(name + " (" + provider + ")"));
                throw new PatchException(Stage.PLAN, "bundle " + bundle.getKey() + " "
                        + bundle.getValue().getMainAttributes().getValue(Constants.BUNDLE_VERSION)
                        + " exports packages the platform provides: " + String.join(", ", named)
                        + "; bundles would wire to its copies instead, so a patch may not export them");
            }
        }
    }

    /** @return package name to who exports it: "the framework" or a runtime bundle's symbolic name */
    private static SortedMap<String, String> exportedByPlatform(BundleContext context) {
        SortedMap<String, String> packages = new TreeMap<>();
        for (Bundle bundle : context.getBundles()) {
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (bundle.getState() == Bundle.UNINSTALLED || revision == null || !ManagedBundles.isProtected(bundle)) {
                continue;
            }
            String provider = bundle.getBundleId() == 0 ? "the framework" : bundle.getSymbolicName();
            for (Capability export : revision.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                packages.putIfAbsent((String) export.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE), provider);
            }
        }
        return packages;
    }
}
