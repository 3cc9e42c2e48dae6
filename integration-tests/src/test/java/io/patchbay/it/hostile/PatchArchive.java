package io.patchbay.it.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import jdk.security.jarsigner.JarSigner;

/**
 * Builds deployment packages, well-formed or not, for the hostile-input tests: any main headers,
 * any sections, any entries, signed with a given key through the JDK's jar signing API or left
 * unsigned. Runs outside the framework (in the test driver).
 */
final class PatchArchive {

    /** A key to sign with: a PKCS12 file, its alias and password; or a key and chain given directly. */
    record Signer(Path keyStore, String alias, String password, PrivateKey key, List<Certificate> chain) {

        Signer(Path keyStore, String alias, String password) {
            this(keyStore, alias, password, null, null);
        }

        static Signer of(PrivateKey key, List<Certificate> chain) {
            return new Signer(null, null, null, key, chain);
        }
    }

    private final Map<String, String> main = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    static PatchArchive deploymentPackage(String name, String version) {
        PatchArchive archive = new PatchArchive();
        archive.main.put("DeploymentPackage-SymbolicName", name);
        archive.main.put("DeploymentPackage-Version", version);
        return archive;
    }

    PatchArchive header(String name, String value) {
        if (value == null) {
            main.remove(name);
        } else {
            main.put(name, value);
        }
        return this;
    }

    /** Adds a bundle entry and its manifest section, named as the bundle says. */
    PatchArchive bundle(String path, byte[] jar, String bsn, String version) {
        entries.put(path, jar);
        return section(path, Map.of("Bundle-SymbolicName", bsn, "Bundle-Version", version));
    }

    PatchArchive section(String path, Map<String, String> attributes) {
        sections.put(path, new LinkedHashMap<>(attributes));
        return this;
    }

    PatchArchive entry(String path, byte[] bytes) {
        entries.put(path, bytes);
        return this;
    }

    Path write(Path file, Signer signer) throws Exception {
        return write(file, signer, "SHA-256", "SHA256withRSA");
    }

    /** Writes the archive, signed with these algorithms (the JDK's names) unless {@code signer} is null. */
    Path write(Path file, Signer signer, String digestAlgorithm, String signatureAlgorithm) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
        sections.forEach((path, attributes) -> {
            Attributes section = new Attributes();
            attributes.forEach(section::putValue);
            manifest.getEntries().put(path, section);
        });
        Path unsigned = signer == null ? file : Files.createTempFile("unsigned", ".dp");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(unsigned), manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(entry.getKey()));
                jar.write(entry.getValue());
                jar.closeEntry();
            }
        }
        if (signer != null) {
            sign(unsigned, file, signer, digestAlgorithm, signatureAlgorithm);
            Files.delete(unsigned);
        }
        return file;
    }

    static void sign(Path in, Path out, Signer signer, String digestAlgorithm, String signatureAlgorithm)
            throws Exception {
        PrivateKey key = signer.key();
        List<Certificate> chain = signer.chain();
        if (key == null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            char[] password = signer.password().toCharArray();
            try (InputStream stream = Files.newInputStream(signer.keyStore())) {
                keys.load(stream, password);
            }
            key = (PrivateKey) keys.getKey(signer.alias(), password);
            chain = Arrays.asList(keys.getCertificateChain(signer.alias()));
        }
        JarSigner jarSigner = new JarSigner.Builder(key, CertificateFactory.getInstance("X.509").generateCertPath(chain))
                .digestAlgorithm(digestAlgorithm).signatureAlgorithm(signatureAlgorithm).build();
        try (ZipFile zip = new ZipFile(in.toFile()); OutputStream stream = Files.newOutputStream(out)) {
            jarSigner.sign(zip, stream);
        }
    }

    /** A minimal bundle jar: a manifest with these main headers and one resource. */
    static byte[] bundleJar(Map<String, String> headers) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        headers.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("payload.txt"));
            jar.write("hostile test bundle\n".getBytes());
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** Copies an archive entry by entry through a rewriter, optionally appending entries. */
    static void rewrite(Path source, Path target, EntryRewriter rewriter, Map<String, byte[]> appended) throws IOException {
        try (ZipFile zip = new ZipFile(source.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                byte[] bytes = zip.getInputStream(entry).readAllBytes();
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(rewriter.rewrite(entry.getName(), bytes));
                out.closeEntry();
            }
            for (Map.Entry<String, byte[]> extra : appended.entrySet()) {
                out.putNextEntry(new ZipEntry(extra.getKey()));
                out.write(extra.getValue());
                out.closeEntry();
            }
        }
    }

    @FunctionalInterface
    interface EntryRewriter {
        byte[] rewrite(String name, byte[] bytes) throws IOException;
    }
}
