package io.patchbay.engine.internal.verify;

import io.patchbay.engine.internal.config.ManagedBundles;
import io.patchbay.engine.internal.ledger.LevelState;
import io.patchbay.engine.internal.plan.Change;
import io.patchbay.patch.PatchDescriptor;
import io.patchbay.patch.PatchDescriptor.PatchBundle;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/**
 * Stage {@code verify}, second half: the patch fits this runtime. It may not touch the framework
 * or Patchbay's own bundles; versions only go up unless the operator allows a downgrade; the same
 * version must be the same jar; a full package must be newer than the installed one of that name;
 * a fix pack applies only to an installed package whose version is in its range, and every bundle
 * it marks missing must be installed. The result is the list of changes the patch would make.
 */
public final class PatchRules {

    private PatchRules() {
    }

    public static List<Change> changes(VerifiedPatch patch, PatchOptions options, LevelState current, BundleContext context)
            throws PatchException {
        PatchDescriptor d = patch.descriptor();
        String name = d.displayName();
        String installedPackage = current.packages().get(d.symbolicName());
        if (d.isFixPack()) {
            if (installedPackage == null) {
                throw refuse("fix pack " + name + " applies to " + d.symbolicName() + " " + d.fixPackRange()
                        + ", which is not installed");
            }
            if (!d.fixPackRange().includes(Version.parseVersion(installedPackage))) {
                throw refuse("fix pack " + name + " applies to " + d.symbolicName() + " " + d.fixPackRange()
                        + ", but " + installedPackage + " is installed");
            }
        }
        if (installedPackage != null && !options.allowDowngrade()) {
            int order = d.version().compareTo(Version.parseVersion(installedPackage));
            if (order == 0) {
                throw refuse("package " + name + " is already installed");
            }
            if (order < 0) {
                throw refuse("package " + name + " is older than the installed " + installedPackage
                        + "; a downgrade must be asked for explicitly");
            }
        }
        List<Change> changes = new ArrayList<>();
        for (PatchBundle bundle : d.bundles()) {
            Optional<Bundle> installed = ManagedBundles.find(context, bundle.symbolicName());
            if (installed.isPresent() && ManagedBundles.isProtected(installed.get())
                    || bundle.symbolicName().equals(ManagedBundles.FRAMEWORK_BSN)
                    || bundle.symbolicName().equals("system.bundle")) {
                throw refuse("patch " + name + " would replace " + bundle.symbolicName()
                        + ", which belongs to the Patchbay runtime; patches may not replace it");
            }
            LevelState.BundleRecord record = current.bundles().get(bundle.symbolicName());
            // The digest is known only if the bundle is still what the level recorded; a bundle
            // changed by other means (a manual update) has drifted from it.
            String fromHash = record != null && installed.isPresent()
                    && record.version().equals(installed.get().getVersion().toString()) ? record.hash() : "";
            if (bundle.missing()) {
                if (installed.isEmpty()) {
                    throw refuse("fix pack " + name + " expects " + bundle.symbolicName() + " to be installed already,"
                            + " but it is not");
                }
                Bundle b = installed.get();
                changes.add(new Change(bundle.symbolicName(), Change.Kind.UNCHANGED, b.getLocation(),
                        b.getVersion().toString(), fromHash, b.getVersion().toString(), fromHash));
                continue;
            }
            if (installed.isEmpty()) {
                changes.add(new Change(bundle.symbolicName(), Change.Kind.INSTALL, "patchbay:" + bundle.symbolicName(),
                        "", "", bundle.version().toString(), bundle.sha256()));
                continue;
            }
            Bundle b = installed.get();
            int order = bundle.version().compareTo(b.getVersion());
            if (order < 0 && !options.allowDowngrade()) {
                throw refuse("patch " + name + " would downgrade " + bundle.symbolicName() + " from " + b.getVersion()
                        + " to " + bundle.version() + "; a downgrade must be asked for explicitly");
            }
            if (order == 0) {
                if (bundle.sha256().equals(fromHash) || fromHash.isEmpty()) {
                    changes.add(new Change(bundle.symbolicName(), Change.Kind.UNCHANGED, b.getLocation(),
                            b.getVersion().toString(), fromHash, b.getVersion().toString(), fromHash));
                    continue;
                }
                throw refuse("patch " + name + " carries " + bundle.symbolicName() + " " + bundle.version()
                        + ", the installed version, with different content; a changed bundle needs a new version");
            }
            changes.add(new Change(bundle.symbolicName(), Change.Kind.UPDATE, b.getLocation(), b.getVersion().toString(),
                    fromHash, bundle.version().toString(), bundle.sha256()));
        }
        if (changes.stream().allMatch(c -> c.kind() == Change.Kind.UNCHANGED)) {
            throw refuse("patch " + name + " changes nothing: every bundle it carries is installed already");
        }
        return changes;
    }

    private static PatchException refuse(String message) {
        return new PatchException(Stage.VERIFY, message);
    }
}
