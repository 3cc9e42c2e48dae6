package io.patchbay.engine.internal.receive;

import io.patchbay.engine.internal.config.EngineSettings;
import io.patchbay.engine.internal.ledger.BundleStore;
import io.patchbay.engine.internal.verify.DisabledSignature;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.Stage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Stage {@code receive}: reads a patch archive without trusting anything it says about itself.
 * It refuses, before reading further: a file over the size limit, more entries than the limit,
 * entry names that could escape a folder or confuse a reader (absolute, {@code ..}, backslash,
 * control characters, duplicates), entries that expand beyond the limit whatever their headers
 * claim, and entries that are neither the manifest, signature files, nor resources the manifest
 * names, and an archive that a reader of its local headers would read differently from its
 * central directory ({@link StrictZip}). Reading every entry completely also makes the JDK check
 * each one against its signed digest, so an entry altered after signing is caught here; a
 * package whose signature the JDK ignored for its algorithm is refused, never taken as unsigned.
 */
public final class PatchReader {

    private final EngineSettings settings;

    public PatchReader(EngineSettings settings) {
        this.settings = settings;
    }

    public ReceivedPatch read(Path file) throws PatchException {
        String name = String.valueOf(file.getFileName());
        if (!Files.exists(file)) {
            throw refuse("patch file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw refuse("patch file " + file + " is not a readable file");
        }
        long size;
        byte[] whole;
        try {
            size = Files.size(file);
            if (size > settings.maxPatchBytes()) {
                throw refuse("patch " + name + " is " + size + " bytes, over the limit of "
                        + settings.maxPatchBytes());
            }
            whole = Files.readAllBytes(file);
        } catch (IOException e) {
            throw refuse("cannot read patch " + name + ": " + e.getMessage());
        }
        boundsCheck(file, name);
        try {
            StrictZip.of(whole);
        } catch (ZipException e) {
            throw refuse("patch " + name + StrictZip.REFUSED + e.getMessage());
        }
        try (JarFile jar = new JarFile(file.toFile(), true)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                throw refuse("patch " + name + " has no META-INF/MANIFEST.MF, so it is not a deployment package");
            }
            Set<String> named = manifest.getEntries().keySet();
            Map<String, byte[]> entries = new LinkedHashMap<>();
            Map<String, List<List<X509Certificate>>> signers = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            Map<String, byte[]> signatureFiles = new LinkedHashMap<>();
            long budget = settings.maxExpandedBytes();
            // Count, names and sizes were checked by the first pass; this one verifies and keeps.
            Enumeration<JarEntry> all = jar.entries();
            while (all.hasMoreElements()) {
                JarEntry entry = all.nextElement();
                String entryName = entry.getName();
                if (!seen.add(entryName)) {
                    throw refuse("patch " + name + " has the entry " + entryName + " twice");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                byte[] content = readBounded(jar, entry, name, budget);
                budget -= content.length;
                if (isSignatureOrManifest(entryName)) {
                    signatureFiles.put(entryName.toUpperCase(Locale.ROOT), content);
                    continue;
                }
                if (!named.contains(entryName)) {
                    throw refuse("patch " + name + " has an entry the manifest does not name: " + entryName);
                }
                entries.put(entryName, content);
                signers.put(entryName, chains(entry.getCodeSigners()));
            }
            refuseIgnoredSignature(name, signers, signatureFiles);
            return new ReceivedPatch(file, BundleStore.sha256(whole), manifest, entries, signers);
        } catch (ZipException e) {
            throw refuse("patch " + name + " is not a readable archive (truncated or corrupt: " + e.getMessage() + ")");
        } catch (SecurityException e) {
            throw new PatchException(Stage.VERIFY, "patch " + name + " was altered after it was signed ("
                    + e.getMessage() + ")");
        } catch (IOException e) {
            throw refuse("patch " + name + " is not a readable archive (" + e.getMessage() + ")");
        }
    }

    /**
     * A package that carries a signature the JDK ignored (a disabled algorithm, such as SHA-1 or
     * MD5) is refused, even where unsigned packages are allowed: it was meant to be signed, and
     * treating it as unsigned would hide the reason from the operator.
     */
    private static void refuseIgnoredSignature(String name, Map<String, List<List<X509Certificate>>> signers,
            Map<String, byte[]> signatureFiles) throws PatchException {
        if (signers.isEmpty() || signers.values().stream().anyMatch(chains -> !chains.isEmpty())) {
            return;
        }
        for (Map.Entry<String, byte[]> file : signatureFiles.entrySet()) {
            String path = file.getKey();
            if (path.endsWith(".SF")) {
                String base = path.substring(0, path.length() - 3);
                byte[] block = null;
                for (String type : List.of(".RSA", ".DSA", ".EC")) {
                    block = block != null ? block : signatureFiles.get(base + type);
                }
                throw new PatchException(Stage.VERIFY, "patch " + name + " is "
                        + DisabledSignature.describe(file.getValue(), block)
                        + "; it is refused, not treated as unsigned");
            }
        }
    }

    /**
     * A first pass over every entry, the manifest and signature files included, with a plain
     * zip reader and the same limits: the JDK expands the manifest and signature files as soon as
     * a jar is opened for verification, trusting sizes the archive itself declares.
     */
    private void boundsCheck(Path file, String name) throws PatchException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > settings.maxEntries()) {
                throw refuse("patch " + name + " has " + zip.size() + " entries, more than the limit of "
                        + settings.maxEntries());
            }
            long budget = settings.maxExpandedBytes();
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                checkName(name, entry.getName());
                if (!entry.isDirectory()) {
                    budget -= readBounded(zip.getInputStream(entry), entry.getName(), name, budget).length;
                }
            }
        } catch (ZipException e) {
            throw refuse("patch " + name + " is not a readable archive (truncated or corrupt: " + e.getMessage() + ")");
        } catch (IOException e) {
            throw refuse("patch " + name + " is not a readable archive (" + e.getMessage() + ")");
        }
    }

    private byte[] readBounded(JarFile jar, JarEntry entry, String name, long budget) throws IOException, PatchException {
        return readBounded(jar.getInputStream(entry), entry.getName(), name, budget);
    }

    private byte[] readBounded(InputStream stream, String entryName, String name, long budget)
            throws IOException, PatchException {
        long limit = Math.min(budget, settings.maxEntryBytes());
        try (InputStream in = stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > limit) {
                    throw refuse("patch " + name + " expands beyond its limit at entry " + entryName
                            + " (a compression bomb, or an entry over " + settings.maxEntryBytes() + " bytes)");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static void checkName(String patch, String entryName) throws PatchException {
        String lower = entryName.toLowerCase(Locale.ROOT);
        boolean bad = entryName.isEmpty()
                || entryName.startsWith("/")
                || entryName.contains("\\")
                || (entryName.length() > 1 && entryName.charAt(1) == ':')
                || entryName.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        for (String segment : entryName.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                bad = true;
            }
        }
        if (bad) {
            throw refuse("patch " + patch + " has an unsafe entry name: " + printable(entryName));
        }
        if (lower.startsWith("meta-inf/") && !isSignatureOrManifest(entryName) && !lower.equals("meta-inf/")) {
            throw refuse("patch " + patch + " has an unexpected entry in META-INF: " + printable(entryName));
        }
    }

    static boolean isSignatureOrManifest(String entryName) {
        String upper = entryName.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', 9) >= 0) {
            return false;
        }
        return upper.equals("META-INF/MANIFEST.MF") || upper.endsWith(".SF") || upper.endsWith(".RSA")
                || upper.endsWith(".DSA") || upper.endsWith(".EC");
    }

    private static List<List<X509Certificate>> chains(CodeSigner[] codeSigners) {
        List<List<X509Certificate>> chains = new ArrayList<>();
        if (codeSigners == null) {
            return chains;
        }
        for (CodeSigner signer : codeSigners) {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : signer.getSignerCertPath().getCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            chains.add(chain);
        }
        return chains;
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : String.valueOf((char) c)));
        return out.toString();
    }

    private static PatchException refuse(String message) {
        return new PatchException(Stage.RECEIVE, message);
    }
}
