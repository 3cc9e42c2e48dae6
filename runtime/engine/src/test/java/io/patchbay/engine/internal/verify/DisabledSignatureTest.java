package io.patchbay.engine.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.patchbay.engine.internal.config.EngineSettings;
import io.patchbay.engine.internal.receive.PatchReader;
import io.patchbay.engine.internal.receive.ReceivedPatch;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.Stage;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;
import jdk.security.jarsigner.JarSigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages really signed (by the JDK's JarSigner, with a key keytool made) with algorithms this
 * JDK disables for jars: the reader names the algorithm and refuses them, even where unsigned
 * packages are allowed.
 */
class DisabledSignatureTest {

    @TempDir
    static Path folder;

    private static PrivateKey key;
    private static java.security.cert.CertPath chain;

    @BeforeAll
    static void makeKey() throws Exception {
        Path store = folder.resolve("signer.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "signer",
                "-alias", "signer", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Test Signer")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "signer".toCharArray());
        }
        key = (PrivateKey) keys.getKey("signer", "signer".toCharArray());
        chain = CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(keys.getCertificateChain("signer")));
    }

    @Test
    void aSha1SignedPackageIsRefusedNamingTheAlgorithmEvenWhereUnsignedIsAllowed() throws Exception {
        Path patch = signedPackage("sha1.dp", "SHA-1", "SHA1withRSA");
        for (boolean allowUnsigned : new boolean[] {true, false}) {
            PatchException e = assertThrows(PatchException.class, () -> new PatchReader(settings(allowUnsigned)).read(patch));
            assertEquals(Stage.VERIFY, e.stage());
            assertTrue(e.getMessage().startsWith("patch sha1.dp is signed with SHA1withRSA, which this JDK disables "
                    + "(jdk.jar.disabledAlgorithms: SHA1"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void anMd5SignedPackageIsRefusedNamingTheAlgorithmEvenWhereUnsignedIsAllowed() throws Exception {
        Path patch = signedPackage("md5.dp", "SHA-256", "MD5withRSA");
        PatchException e = assertThrows(PatchException.class, () -> new PatchReader(settings(true)).read(patch));
        assertEquals(Stage.VERIFY, e.stage());
        assertTrue(e.getMessage().startsWith("patch md5.dp is signed with MD5withRSA, which this JDK disables "
                + "(jdk.jar.disabledAlgorithms: MD5)"), e.getMessage());
    }

    @Test
    void aSha256SignedPackageIsReadWithItsSigner() throws Exception {
        Path patch = signedPackage("sha256.dp", "SHA-256", "SHA256withRSA");
        ReceivedPatch received = new PatchReader(settings(false)).read(patch);
        assertEquals("CN=Test Signer", received.signers().get("bundles/b.jar").get(0).get(0)
                .getSubjectX500Principal().getName());
    }

    private static EngineSettings settings(boolean allowUnsigned) {
        return new EngineSettings(folder, null, null, "", allowUnsigned, EngineSettings.DEFAULT_MAX_PATCH_BYTES,
                EngineSettings.DEFAULT_MAX_ENTRIES, EngineSettings.DEFAULT_MAX_ENTRY_BYTES,
                EngineSettings.DEFAULT_MAX_EXPANDED_BYTES, 0, 0, 0, 0);
    }

    private static Path signedPackage(String name, String digest, String signature) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("DeploymentPackage-SymbolicName", "p");
        manifest.getMainAttributes().putValue("DeploymentPackage-Version", "1.0.0");
        Attributes section = new Attributes();
        section.putValue("Bundle-SymbolicName", "b");
        section.putValue("Bundle-Version", "1.0.0");
        manifest.getEntries().put("bundles/b.jar", section);
        Path unsigned = folder.resolve("unsigned-" + name);
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(unsigned), manifest)) {
            jar.putNextEntry(new JarEntry("bundles/b.jar"));
            jar.write("a bundle".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        JarSigner signer = new JarSigner.Builder(key, chain).digestAlgorithm(digest).signatureAlgorithm(signature)
                .build();
        Path signed = folder.resolve(name);
        try (ZipFile zip = new ZipFile(unsigned.toFile()); OutputStream out = Files.newOutputStream(signed)) {
            signer.sign(zip, out);
        }
        return signed;
    }
}
