package io.patchbay.patch;

import java.util.List;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * A verified patch: what its manifest declares.
 *
 * @param symbolicName {@code DeploymentPackage-SymbolicName}
 * @param version      {@code DeploymentPackage-Version}
 * @param fixPackRange {@code DeploymentPackage-FixPack}, or {@code null} for a full package
 * @param description  {@code Patchbay-Description}, or an empty string
 * @param bundles      the bundles it carries (and, for a fix pack, those it leaves as they are)
 * @param sha256       digest of the patch file, hex
 * @param signers      subject names of the certificates that signed it
 */
public record PatchDescriptor(
        String symbolicName,
        Version version,
        VersionRange fixPackRange,
        String description,
        List<PatchBundle> bundles,
        String sha256,
        List<String> signers) {

    public PatchDescriptor {
        bundles = List.copyOf(bundles);
        signers = List.copyOf(signers);
    }

    public boolean isFixPack() {
        return fixPackRange != null;
    }

    /** @return "name version", as operators see it in tables */
    public String displayName() {
        return symbolicName + " " + version;
    }

    /**
     * One bundle of a patch.
     *
     * @param path         the entry name in the patch
     * @param symbolicName the bundle's symbolic name
     * @param version      the bundle's version
     * @param missing      a fix pack leaves this bundle as it is ({@code DeploymentPackage-Missing: true})
     * @param sha256       digest of the bundle jar, hex; empty when missing
     */
    public record PatchBundle(String path, String symbolicName, Version version, boolean missing, String sha256) {
    }
}
