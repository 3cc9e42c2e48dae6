package io.patchbay.it.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;
import jdk.security.jarsigner.JarSigner;

/**
 * Makes the benchmark's inputs outside the framework: small bundles in two versions, and a
 * deployment package of N of them signed with the build's demo key (the key the distribution's
 * trust store trusts), through the JDK's own jar signing API.
 */
final class BenchPatches {

    static final String KEYSTORE = "patchbay.signer.keystore";

    private BenchPatches() {
    }

    static String symbolicName(int i) {
        return "io.patchbay.bench.b" + i;
    }

    static byte[] bundle(int i, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName(i));
        main.putValue("Bundle-Version", version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("bench/payload.txt"));
            jar.write(("bundle " + i + " version " + version + "\n").repeat(200).getBytes());
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** Writes a signed deployment package carrying bundles 1..count at {@code version}. */
    static Path signedPackage(Path folder, String name, int count, String version) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("DeploymentPackage-SymbolicName", name);
        main.putValue("DeploymentPackage-Version", version);
        for (int i = 1; i <= count; i++) {
            Attributes section = new Attributes();
            section.putValue("Bundle-SymbolicName", symbolicName(i));
            section.putValue("Bundle-Version", version);
            manifest.getEntries().put("bundles/" + symbolicName(i) + ".jar", section);
        }
        Path unsigned = folder.resolve(name + "-unsigned.dp");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(unsigned), manifest)) {
            for (int i = 1; i <= count; i++) {
                jar.putNextEntry(new JarEntry("bundles/" + symbolicName(i) + ".jar"));
                jar.write(bundle(i, version));
                jar.closeEntry();
            }
        }
        Path signed = folder.resolve(name + ".dp");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        char[] password = "patchbay-demo".toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty(KEYSTORE)))) {
            keys.load(in, password);
        }
        JarSigner signer = new JarSigner.Builder((PrivateKey) keys.getKey("patchbay-demo", password),
                CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(keys.getCertificateChain("patchbay-demo"))))
                .digestAlgorithm("SHA-256").signatureAlgorithm("SHA256withRSA").build();
        try (ZipFile in = new ZipFile(unsigned.toFile()); OutputStream out = Files.newOutputStream(signed)) {
            signer.sign(in, out);
        }
        return signed;
    }
}
