package io.patchbay.engine.internal.verify;

import aQute.bnd.header.Attrs;
import aQute.bnd.header.OSGiHeader;
import aQute.bnd.header.Parameters;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.Stage;
import java.util.Map;
import java.util.jar.Manifest;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * Checks the OSGi headers of a bundle a patch carries, strictly: the framework would otherwise
 * find a malformed header only when it installs the bundle, in the middle of a patch, or read
 * it more leniently than intended. Version attributes must parse as versions or version ranges,
 * filters as LDAP filters, and the manifest version must be 2.
 */
final class BundleHeaders {

    private BundleHeaders() {
    }

    static void check(String patch, String bsn, Manifest manifest) throws PatchException {
        String manifestVersion = manifest.getMainAttributes().getValue("Bundle-ManifestVersion");
        if (!"2".equals(manifestVersion == null ? null : manifestVersion.trim())) {
            throw refuse(patch, bsn, "has Bundle-ManifestVersion " + manifestVersion + "; only 2 (OSGi R4 and later) is accepted");
        }
        ranges(patch, bsn, manifest, "Import-Package", "version");
        ranges(patch, bsn, manifest, "Require-Bundle", "bundle-version");
        ranges(patch, bsn, manifest, "Fragment-Host", "bundle-version");
        versions(patch, bsn, manifest, "Export-Package", "version");
        filters(patch, bsn, manifest, "Require-Capability");
        parses(patch, bsn, manifest, "Provide-Capability");
        parses(patch, bsn, manifest, "DynamicImport-Package");
    }

    private static Parameters parse(String patch, String bsn, Manifest manifest, String header) throws PatchException {
        String value = manifest.getMainAttributes().getValue(header);
        if (value == null) {
            return new Parameters();
        }
        try {
            return OSGiHeader.parseHeader(value);
        } catch (RuntimeException e) {
            throw refuse(patch, bsn, "has a malformed " + header + " header: " + e.getMessage());
        }
    }

    private static void parses(String patch, String bsn, Manifest manifest, String header) throws PatchException {
        parse(patch, bsn, manifest, header);
    }

    private static void ranges(String patch, String bsn, Manifest manifest, String header, String attribute)
            throws PatchException {
        for (Map.Entry<String, Attrs> clause : parse(patch, bsn, manifest, header).entrySet()) {
            String range = clause.getValue().get(attribute);
            if (range == null) {
                continue;
            }
            try {
                new VersionRange(range.trim());
            } catch (IllegalArgumentException e) {
                throw refuse(patch, bsn, "has a malformed " + header + " header: " + attribute + "=\"" + range
                        + "\" of " + clause.getKey().replaceAll("~+$", "") + " is not a version range");
            }
        }
    }

    private static void versions(String patch, String bsn, Manifest manifest, String header, String attribute)
            throws PatchException {
        for (Map.Entry<String, Attrs> clause : parse(patch, bsn, manifest, header).entrySet()) {
            String version = clause.getValue().get(attribute);
            if (version == null) {
                continue;
            }
            try {
                Version.parseVersion(version.trim());
            } catch (IllegalArgumentException e) {
                throw refuse(patch, bsn, "has a malformed " + header + " header: " + attribute + "=\"" + version
                        + "\" of " + clause.getKey().replaceAll("~+$", "") + " is not a version");
            }
        }
    }

    private static void filters(String patch, String bsn, Manifest manifest, String header) throws PatchException {
        for (Map.Entry<String, Attrs> clause : parse(patch, bsn, manifest, header).entrySet()) {
            String filter = clause.getValue().get("filter:");
            if (filter == null) {
                continue;
            }
            try {
                FrameworkUtil.createFilter(filter);
            } catch (InvalidSyntaxException e) {
                throw refuse(patch, bsn, "has a malformed " + header + " header: filter " + filter + " does not parse");
            }
        }
    }

    private static PatchException refuse(String patch, String bsn, String what) {
        return new PatchException(Stage.VERIFY, "patch " + patch + ": bundle " + bsn + " " + what);
    }
}
