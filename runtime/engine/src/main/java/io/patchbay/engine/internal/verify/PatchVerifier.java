package io.patchbay.engine.internal.verify;

import io.patchbay.engine.internal.config.EngineSettings;
import io.patchbay.engine.internal.ledger.BundleStore;
import io.patchbay.engine.internal.receive.ReceivedPatch;
import io.patchbay.engine.internal.receive.StrictZip;
import io.patchbay.patch.PatchDescriptor;
import io.patchbay.patch.PatchDescriptor.PatchBundle;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.Stage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.zip.ZipException;
import java.util.jar.Manifest;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * Stage {@code verify}, first half: the patch is what it says it is. Every resource entry must
 * be signed by a certificate the trust store trusts (unless unsigned patches are allowed), the
 * deployment package headers must parse, every bundle section must match a jar entry (or be
 * marked missing in a fix pack), and every bundle's own manifest must carry the symbolic name
 * and version its section declares.
 */
public final class PatchVerifier {

    static final String DP_SYMBOLIC_NAME = "DeploymentPackage-SymbolicName";
    static final String DP_VERSION = "DeploymentPackage-Version";
    static final String DP_FIX_PACK = "DeploymentPackage-FixPack";
    static final String DP_MISSING = "DeploymentPackage-Missing";
    static final String DESCRIPTION = "Patchbay-Description";
    static final int MAX_BUNDLE_MANIFEST_BYTES = 1 << 20;

    private final EngineSettings settings;

    public PatchVerifier(EngineSettings settings) {
        this.settings = settings;
    }

    public VerifiedPatch verify(ReceivedPatch received) throws PatchException {
        String name = String.valueOf(received.source().getFileName());
        List<String> signerNames = checkSignatures(name, received);
        Attributes main = received.manifest().getMainAttributes();
        String symbolicName = required(name, main, DP_SYMBOLIC_NAME);
        if (!symbolicName.matches("[A-Za-z0-9_.\\-]+")) {
            throw refuse("patch " + name + " has an invalid " + DP_SYMBOLIC_NAME + ": " + symbolicName);
        }
        Version version = version(name, DP_VERSION, required(name, main, DP_VERSION));
        VersionRange fixPack = null;
        String range = main.getValue(DP_FIX_PACK);
        if (range != null) {
            try {
                fixPack = new VersionRange(range.trim());
            } catch (IllegalArgumentException e) {
                throw refuse("patch " + name + " has an invalid " + DP_FIX_PACK + ": " + range);
            }
        }
        List<PatchBundle> bundles = new ArrayList<>();
        Map<String, byte[]> jars = new LinkedHashMap<>();
        Map<String, Manifest> manifests = new LinkedHashMap<>();
        Set<String> symbolicNames = new LinkedHashSet<>();
        for (Map.Entry<String, Attributes> section : received.manifest().getEntries().entrySet()) {
            String path = section.getKey();
            Attributes attributes = section.getValue();
            String bsn = attributes.getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (bsn == null) {
                throw refuse("patch " + name + " has a manifest section for " + path + " without Bundle-SymbolicName");
            }
            bsn = bsn.trim();
            Version bundleVersion = version(name, path + " Bundle-Version",
                    attributes.getValue(Constants.BUNDLE_VERSION) == null ? "" : attributes.getValue(Constants.BUNDLE_VERSION));
            if (!symbolicNames.add(bsn)) {
                throw refuse("patch " + name + " carries bundle " + bsn + " twice");
            }
            boolean missing = "true".equalsIgnoreCase(String.valueOf(attributes.getValue(DP_MISSING)).trim());
            if (missing) {
                if (fixPack == null) {
                    throw refuse("patch " + name + " marks " + bsn + " missing, but it is not a fix pack");
                }
                if (received.entries().containsKey(path)) {
                    throw refuse("patch " + name + " marks " + bsn + " missing and carries it too");
                }
                bundles.add(new PatchBundle(path, bsn, bundleVersion, true, ""));
                continue;
            }
            byte[] jar = received.entries().get(path);
            if (jar == null) {
                throw refuse("patch " + name + " names " + path + " in its manifest, but the archive does not hold it");
            }
            Manifest manifest = bundleManifest(name, path, jar);
            BundleHeaders.check(name, bsn, manifest);
            String actualBsn = symbolicNameOf(manifest);
            String actualVersion = manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
            if (!bsn.equals(actualBsn)) {
                throw refuse("patch " + name + " says " + path + " is " + bsn + ", but the bundle's manifest says "
                        + actualBsn);
            }
            Version declared = version(name, path + " Bundle-Version", actualVersion == null ? "0.0.0" : actualVersion);
            if (!declared.equals(bundleVersion)) {
                throw refuse("patch " + name + " says " + bsn + " is version " + bundleVersion
                        + ", but the bundle's manifest says " + declared);
            }
            bundles.add(new PatchBundle(path, bsn, bundleVersion, false, BundleStore.sha256(jar)));
            jars.put(bsn, jar);
            manifests.put(bsn, manifest);
        }
        if (bundles.isEmpty()) {
            throw refuse("patch " + name + " carries no bundles");
        }
        String description = main.getValue(DESCRIPTION) == null ? "" : main.getValue(DESCRIPTION).trim();
        PatchDescriptor descriptor = new PatchDescriptor(symbolicName, version, fixPack, description, bundles,
                received.sha256(), signerNames);
        return new VerifiedPatch(descriptor, jars, manifests);
    }

    private List<String> checkSignatures(String name, ReceivedPatch received) throws PatchException {
        List<String> unsigned = new ArrayList<>();
        received.signers().forEach((entry, chains) -> {
            if (chains.isEmpty()) {
                unsigned.add(entry);
            }
        });
        if (!unsigned.isEmpty() && unsigned.size() < received.signers().size()) {
            throw refuse("patch " + name + " has entries added after it was signed: " + String.join(", ", unsigned));
        }
        if (!unsigned.isEmpty()) {
            if (settings.allowUnsigned()) {
                return List.of();
            }
            throw refuse("patch " + name + " is not signed (entry " + unsigned.get(0)
                    + " has no signature); unsigned patches are not allowed");
        }
        TrustStore trust = TrustStore.load(settings.trustStore(), settings.trustStorePassword());
        Set<String> signerNames = new LinkedHashSet<>();
        Date now = new Date();
        for (List<List<X509Certificate>> chains : received.signers().values()) {
            String firstReason = null;
            boolean trusted = false;
            for (List<X509Certificate> chain : chains) {
                String why = trust.whyNotTrusted(chain, now);
                if (why == null) {
                    trusted = true;
                    signerNames.add(chain.get(0).getSubjectX500Principal().getName());
                } else if (firstReason == null) {
                    firstReason = why;
                }
            }
            if (!trusted) {
                throw refuse("patch " + name + " " + firstReason);
            }
        }
        return new ArrayList<>(signerNames);
    }

    /**
     * Reads a bundle's manifest from the central directory, as the framework will, with a bound of
     * its own; a jar that other readers could read differently is refused.
     */
    private static Manifest bundleManifest(String patch, String path, byte[] jar) throws PatchException {
        try {
            StrictZip zip = StrictZip.of(jar);
            long size = zip.size(StrictZip.MANIFEST);
            if (size < 0) {
                throw refuse("patch " + patch + ": " + path + " has no manifest, so it is not a bundle");
            }
            if (size > MAX_BUNDLE_MANIFEST_BYTES) {
                throw refuse("patch " + patch + ": the manifest of " + path + " is over "
                        + MAX_BUNDLE_MANIFEST_BYTES + " bytes");
            }
            return new Manifest(new ByteArrayInputStream(zip.read(StrictZip.MANIFEST)));
        } catch (ZipException e) {
            throw refuse("patch " + patch + ": " + path + StrictZip.REFUSED + e.getMessage());
        } catch (IOException e) {
            throw refuse("patch " + patch + ": " + path + " is not a readable jar (" + e.getMessage() + ")");
        }
    }

    public static String symbolicNameOf(Manifest manifest) {
        String header = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (header == null) {
            return null;
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
    }

    private static String required(String patch, Attributes main, String header) throws PatchException {
        String value = main.getValue(header);
        if (value == null || value.isBlank()) {
            throw refuse("patch " + patch + " has no " + header + " header, so it is not a deployment package");
        }
        return value.trim();
    }

    private static Version version(String patch, String what, String text) throws PatchException {
        try {
            return Version.parseVersion(text.trim());
        } catch (IllegalArgumentException e) {
            throw refuse("patch " + patch + " has an invalid version in " + what + ": '" + text + "'");
        }
    }

    private static PatchException refuse(String message) {
        return new PatchException(Stage.VERIFY, message);
    }
}
