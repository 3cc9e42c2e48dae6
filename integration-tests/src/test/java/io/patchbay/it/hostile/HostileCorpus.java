package io.patchbay.it.hostile;

import io.patchbay.it.PatchbayTestConfiguration;
import io.patchbay.patch.Stage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The hostile-input corpus: malformed and malicious patches, generated fresh by every test run
 * (nothing binary is checked in), each with the stage that must refuse it and the words the
 * one-line refusal must contain.
 */
public final class HostileCorpus {

    /** One hostile patch and how it must be refused. */
    public record Case(String file, Stage stage, String expected) {
    }

    static final String POLICY = "io.patchbay.demo.policy";
    /** How the engine joins an archive to the defect that makes it ambiguous. */
    static final String AMBIGUOUS = " is an ambiguous or malformed archive: ";
    static final String LOCAL_ONLY_MANIFEST = "it has an entry only its local headers hold: META-INF/MANIFEST.MF";

    private final Path folder;
    private final PatchArchive.Signer trusted;
    private final byte[] policy101;
    private final byte[] policy100;
    private final List<Case> cases = new ArrayList<>();

    private HostileCorpus(Path folder) {
        this.folder = folder;
        this.trusted = new PatchArchive.Signer(Path.of(System.getProperty("patchbay.signer.keystore")), "patchbay-demo",
                "patchbay-demo");
        try {
            this.policy101 = Files.readAllBytes(PatchbayTestConfiguration.builtJar(PatchbayTestConfiguration.POLICY_FIX));
            this.policy100 = Files.readAllBytes(PatchbayTestConfiguration.builtJar(PatchbayTestConfiguration.POLICY));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes every case into {@code folder} and returns them. */
    public static List<Case> generate(Path folder) throws Exception {
        HostileCorpus corpus = new HostileCorpus(folder);
        corpus.archives();
        corpus.names();
        corpus.signatures();
        corpus.manifests();
        corpus.bundles();
        corpus.rules();
        corpus.ambiguousArchives();
        return List.copyOf(corpus.cases);
    }

    private void archives() throws Exception {
        raw("empty.dp", new byte[0], Stage.RECEIVE, "is not a readable archive");
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        raw("garbage.dp", garbage, Stage.RECEIVE, "is not a readable archive");
        raw("text.dp", "this is not a patch\n".getBytes(StandardCharsets.UTF_8), Stage.RECEIVE, "is not a readable archive");
        byte[] good = Files.readAllBytes(goodPatch());
        raw("truncated-half.dp", Arrays.copyOf(good, good.length / 2), Stage.RECEIVE, "is not a readable archive");
        raw("truncated-end.dp", Arrays.copyOf(good, good.length - 10), Stage.RECEIVE, "is not a readable archive");
        zip("no-manifest.dp", Map.of("bundles/x.jar", policy101), Stage.RECEIVE, "has no META-INF/MANIFEST.MF");

        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            many.put("bundles/b" + i + ".jar", new byte[] {1});
        }
        add(PatchArchive.deploymentPackage("many", "1.0.0").write(path("too-many-entries.dp"), null), Stage.RECEIVE,
                "has 301 entries, more than the limit of 256", many);

        // 100 MiB of zeros deflates to about 100 KiB: refused while reading, whatever the headers say.
        Path bomb = path("zip-bomb.dp");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            out.write("Manifest-Version: 1.0\r\nDeploymentPackage-SymbolicName: bomb\r\nDeploymentPackage-Version: 1.0.0\r\n\r\nName: bundles/bomb.jar\r\nBundle-SymbolicName: bomb\r\nBundle-Version: 1.0.0\r\n\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("bundles/bomb.jar"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        cases.add(new Case(bomb.getFileName().toString(), Stage.RECEIVE, "expands beyond its limit at entry bundles/bomb.jar"));

        Path huge = path("oversized.dp");
        try (OutputStream out = Files.newOutputStream(huge)) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i <= 64; i++) {
                out.write(block);
            }
        }
        cases.add(new Case("oversized.dp", Stage.RECEIVE, "over the limit of 67108864"));
    }

    private void names() throws Exception {
        for (Map.Entry<String, String> name : Map.of(
                "traversal.dp", "../../etc/evil.jar",
                "absolute.dp", "/etc/evil.jar",
                "backslash.dp", "..\\evil.jar",
                "control-character.dp", "bundles/evil\u0007.jar").entrySet()) {
            Path target = path(name.getKey());
            PatchArchive.rewrite(goodPatch(), target, (n, b) -> b, Map.of(name.getValue(), new byte[] {1}));
            cases.add(new Case(name.getKey(), Stage.RECEIVE, "has an unsafe entry name"));
        }
        Path metaInf = path("meta-inf-class.dp");
        PatchArchive.rewrite(goodPatch(), metaInf, (n, b) -> b, Map.of("META-INF/evil.class", new byte[] {1}));
        cases.add(new Case("meta-inf-class.dp", Stage.RECEIVE, "has an unexpected entry in META-INF: META-INF/evil.class"));

        Path unnamed = path("entry-not-in-manifest.dp");
        PatchArchive.rewrite(goodPatch(), unnamed, (n, b) -> b, Map.of("notes.txt", "hello".getBytes()));
        cases.add(new Case("entry-not-in-manifest.dp", Stage.RECEIVE, "has an entry the manifest does not name: notes.txt"));

        // Two entries with one name: written under different names, then renamed in the bytes.
        Path twice = path("duplicate-entry.dp");
        PatchArchive.deploymentPackage("twice", "1.0.0").bundle("bundles/AAAA.jar", policy101, POLICY, "1.0.1")
                .entry("bundles/BBBB.jar", policy101).write(twice, null);
        byte[] bytes = Files.readAllBytes(twice);
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("bundles/BBBB.jar", "bundles/AAAA.jar");
        Files.write(twice, text.getBytes(StandardCharsets.ISO_8859_1));
        cases.add(new Case("duplicate-entry.dp", Stage.RECEIVE, "it has two entries named bundles/AAAA.jar"));
    }

    private void signatures() throws Exception {
        copy("policy-fix-unsigned.dp", Stage.VERIFY, "is not signed");
        copy("policy-fix-untrusted.dp", Stage.VERIFY, "which the trust store truststore.p12 does not trust");

        Path expiredKey = expiredKeyStore();
        signed("expired-signer.dp", policyFix(), new PatchArchive.Signer(expiredKey, "expired", "expired-key"),
                Stage.VERIFY, "whose certificate expired on");

        forgedChain();

        Path altered = path("altered-entry.dp");
        PatchArchive.rewrite(goodPatch(), altered, (n, b) -> {
            if (n.startsWith("bundles/")) {
                byte[] changed = b.clone();
                changed[changed.length / 2] ^= 0x5a;
                return changed;
            }
            return b;
        }, Map.of());
        cases.add(new Case("altered-entry.dp", Stage.VERIFY, "was altered after it was signed"));

        signed("signed-with-sha1.dp", policyFix(), trusted, "SHA-1", "SHA1withRSA", Stage.VERIFY,
                "is signed with SHA1withRSA, which this JDK disables (jdk.jar.disabledAlgorithms: SHA1");
        signed("signed-with-md5.dp", policyFix(), trusted, "SHA-256", "MD5withRSA", Stage.VERIFY,
                "is signed with MD5withRSA, which this JDK disables (jdk.jar.disabledAlgorithms: MD5)");

        Path raised = path("main-header-changed.dp");
        PatchArchive.rewrite(goodPatch(), raised, (n, b) -> n.equals("META-INF/MANIFEST.MF")
                ? new String(b, StandardCharsets.UTF_8).replace("DeploymentPackage-Version: 1.0.0",
                        "DeploymentPackage-Version: 9.0.0").getBytes(StandardCharsets.UTF_8)
                : b, Map.of());
        cases.add(new Case("main-header-changed.dp", Stage.VERIFY, "was altered after it was signed"));

        Path section = path("section-changed-after-signing.dp");
        PatchArchive.rewrite(goodPatch(), section, (n, b) -> n.equals("META-INF/MANIFEST.MF")
                ? new String(b, StandardCharsets.UTF_8).replace("Bundle-Version: 1.0.1", "Bundle-Version: 1.0.2")
                        .getBytes(StandardCharsets.UTF_8)
                : b, Map.of());
        cases.add(new Case("section-changed-after-signing.dp", Stage.VERIFY, "was altered after it was signed"));

        Path added = path("bundle-added-after-signing.dp");
        byte[] sensor = PatchArchive.bundleJar(Map.of("Bundle-SymbolicName", "io.patchbay.demo.extra", "Bundle-Version", "1.0.0"));
        PatchArchive.rewrite(goodPatch(), added, (n, b) -> n.equals("META-INF/MANIFEST.MF")
                ? (new String(b, StandardCharsets.UTF_8).stripTrailing()
                        + "\r\n\r\nName: bundles/extra.jar\r\nBundle-SymbolicName: io.patchbay.demo.extra\r\nBundle-Version: 1.0.0\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8)
                : b, Map.of("bundles/extra.jar", sensor));
        cases.add(new Case("bundle-added-after-signing.dp", Stage.VERIFY, "has entries added after it was signed: bundles/extra.jar"));
    }

    private void manifests() throws Exception {
        signed("no-symbolic-name.dp", policyFix().header("DeploymentPackage-SymbolicName", null), trusted, Stage.VERIFY,
                "has no DeploymentPackage-SymbolicName header");
        signed("bad-version.dp", policyFix().header("DeploymentPackage-Version", "1.x"), trusted, Stage.VERIFY,
                "has an invalid version in DeploymentPackage-Version: '1.x'");
        signed("bad-fix-pack-range.dp", policyFix().header("DeploymentPackage-FixPack", "[1.0"), trusted, Stage.VERIFY,
                "has an invalid DeploymentPackage-FixPack: [1.0");
        signed("section-without-file.dp", policyFix().section("bundles/ghost.jar",
                Map.of("Bundle-SymbolicName", "io.patchbay.demo.ghost", "Bundle-Version", "1.0.0")), trusted, Stage.VERIFY,
                "names bundles/ghost.jar in its manifest, but the archive does not hold it");
        signed("section-without-name.dp", PatchArchive.deploymentPackage("p", "1.0.0").entry("bundles/x.jar", policy101)
                .section("bundles/x.jar", Map.of("Bundle-Version", "1.0.1")), trusted, Stage.VERIFY,
                "has a manifest section for bundles/x.jar without Bundle-SymbolicName");
        signed("no-bundles.dp", PatchArchive.deploymentPackage("p", "1.0.0"), trusted, Stage.VERIFY, "carries no bundles");
        signed("missing-outside-fix-pack.dp", PatchArchive.deploymentPackage("p", "1.0.0").section("bundles/x.jar",
                Map.of("Bundle-SymbolicName", POLICY, "Bundle-Version", "1.0.1", "DeploymentPackage-Missing", "true")),
                trusted, Stage.VERIFY, "marks io.patchbay.demo.policy missing, but it is not a fix pack");
        signed("same-bundle-twice.dp", policyFix().bundle("bundles/again.jar", policy101, POLICY, "1.0.1"), trusted,
                Stage.VERIFY, "carries bundle io.patchbay.demo.policy twice");
    }

    private void bundles() throws Exception {
        signed("symbolic-name-mismatch.dp", PatchArchive.deploymentPackage("p", "1.0.0")
                .bundle("bundles/x.jar", policy101, "io.patchbay.demo.sensor", "1.0.1"), trusted, Stage.VERIFY,
                "says bundles/x.jar is io.patchbay.demo.sensor, but the bundle's manifest says io.patchbay.demo.policy");
        signed("version-mismatch.dp", PatchArchive.deploymentPackage("p", "1.0.0")
                .bundle("bundles/x.jar", policy101, POLICY, "1.0.9"), trusted, Stage.VERIFY,
                "says io.patchbay.demo.policy is version 1.0.9, but the bundle's manifest says 1.0.1");
        ByteArrayOutputStream noManifest = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(noManifest)) {
            zip.putNextEntry(new ZipEntry("payload.txt"));
            zip.write(1);
            zip.closeEntry();
        }
        signed("bundle-without-manifest.dp", PatchArchive.deploymentPackage("p", "1.0.0")
                .bundle("bundles/x.jar", noManifest.toByteArray(), POLICY, "1.0.3"), trusted, Stage.VERIFY,
                "bundles/x.jar has no manifest, so it is not a bundle");
        byte[] malformed = PatchArchive.bundleJar(Map.of("Bundle-SymbolicName", "io.patchbay.demo.malformed",
                "Bundle-Version", "1.0.0", "Import-Package", "io.patchbay.demo.api;version=\"[1.0"));
        signed("malformed-bundle-header.dp", PatchArchive.deploymentPackage("p", "1.0.0")
                .bundle("bundles/x.jar", malformed, "io.patchbay.demo.malformed", "1.0.0"), trusted, Stage.VERIFY,
                "bundle io.patchbay.demo.malformed has a malformed Import-Package header: version=\"[1.0\" of io.patchbay.demo.api is not a version range");
        byte[] engine = PatchArchive.bundleJar(Map.of("Bundle-SymbolicName", "io.patchbay.engine", "Bundle-Version", "9.0.0"));
        signed("replaces-the-engine.dp", PatchArchive.deploymentPackage("p", "1.0.0")
                .bundle("bundles/x.jar", engine, "io.patchbay.engine", "9.0.0"), trusted, Stage.VERIFY,
                "would replace io.patchbay.engine, which belongs to the Patchbay runtime");
        byte[] framework = PatchArchive.bundleJar(Map.of("Bundle-SymbolicName", "org.apache.felix.framework",
                "Bundle-Version", "9.0.0"));
        signed("replaces-the-framework.dp", PatchArchive.deploymentPackage("p", "1.0.0")
                .bundle("bundles/x.jar", framework, "org.apache.felix.framework", "9.0.0"), trusted, Stage.VERIFY,
                "would replace org.apache.felix.framework, which belongs to the Patchbay runtime");
    }

    private void rules() throws Exception {
        copy("policy-unresolvable.dp", Stage.PLAN, "requires package (&(osgi.wiring.package=io.patchbay.demo.missing)");
        copy("api-break.dp", Stage.PLAN, "changes its API in a micro version");
        copy("exports-platform.dp", Stage.PLAN, "exports packages the platform provides: io.patchbay.patch (");
        copy("appliance-1.0.1-fixpack.dp", Stage.VERIFY, "which is not installed");
        byte[] impostor = PatchArchive.bundleJar(Map.of("Bundle-SymbolicName", POLICY, "Bundle-Version", "1.0.0"));
        signed("same-version-other-content.dp", PatchArchive.deploymentPackage("p", "1.0.0")
                .bundle("bundles/x.jar", impostor, POLICY, "1.0.0"), trusted, Stage.VERIFY,
                "carries io.patchbay.demo.policy 1.0.0, the installed version, with different content");
        signed("changes-nothing.dp", PatchArchive.deploymentPackage("p", "1.0.0")
                .bundle("bundles/x.jar", policy100, POLICY, "1.0.0"), trusted, Stage.VERIFY,
                "changes nothing: every bundle it carries is installed already");
    }

    /**
     * Archives that read one way from the central directory (as the framework reads them) and
     * another from the local headers (as a streaming reader does): outer packages and bundle jars.
     * The first three are the attacks of issue 18, each hidden behind a harmless decoy manifest.
     */
    private void ambiguousArchives() throws Exception {
        behindDecoy("extension-fragment-behind-decoy.dp", "io.patchbay.demo.extension", Map.of("Bundle-SymbolicName",
                "io.patchbay.demo.extension", "Bundle-Version", "1.0.0", "Fragment-Host", "system.bundle; extension:=framework"));
        behindDecoy("runtime-category-behind-decoy.dp", "io.patchbay.demo.sneaky", Map.of("Bundle-SymbolicName",
                "io.patchbay.demo.sneaky", "Bundle-Version", "1.0.0", "Bundle-Category", "patchbay-runtime"));
        behindDecoy("second-policy-behind-decoy.dp", "io.patchbay.demo.other",
                Map.of("Bundle-SymbolicName", POLICY, "Bundle-Version", "9.0.0"));

        byte[] manifest = manifest("io.patchbay.demo.plain", "1.0.0");
        byte[] payload = "payload\n".getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> plain = new LinkedHashMap<>();
        plain.put("META-INF/MANIFEST.MF", manifest);
        plain.put("payload.txt", payload);
        byte[] stored = ZipSurgery.stored(plain);
        plain.put("META-INF/MANIFEST.XX", manifest("io.patchbay.demo.other", "1.0.0"));
        byte[] twice = new String(ZipSurgery.stored(plain), StandardCharsets.ISO_8859_1)
                .replace("MANIFEST.XX", "MANIFEST.MF").getBytes(StandardCharsets.ISO_8859_1);
        innerAmbiguous("bundle-manifest-twice.dp", twice, "it has two entries named META-INF/MANIFEST.MF");
        innerAmbiguous("bundle-local-name-differs.dp", ZipSurgery.renameLocally(stored, "payload.txt", "payload.TXT"),
                "the local header of payload.txt names it payload.TXT");
        innerAmbiguous("bundle-local-size-differs.dp", ZipSurgery.resizeLocally(stored, "payload.txt", 3),
                "the local header of payload.txt disagrees with the central directory on its sizes");
        innerAmbiguous("bundle-local-compression-differs.dp", ZipSurgery.recompressLocally(stored, "payload.txt", 8),
                "the local header of payload.txt disagrees with the central directory on its compression");
        innerAmbiguous("bundle-with-prefix.dp", ZipSurgery.prepend(new byte[64], stored),
                "it has 64 bytes of data before its first entry");

        byte[] good = Files.readAllBytes(goodPatch());
        String bundle = "bundles/io.patchbay.demo.policy-1.0.1.jar";
        raw("package-local-only-manifest.dp", ZipSurgery.withLocalOnlyEntry(good, "META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8)), Stage.RECEIVE,
                AMBIGUOUS + LOCAL_ONLY_MANIFEST);
        raw("package-with-prefix.dp", ZipSurgery.prepend("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), good),
                Stage.RECEIVE, AMBIGUOUS + "it has 10 bytes of data before its first entry");
        raw("package-local-name-differs.dp", ZipSurgery.renameLocally(good, bundle, bundle.replace("bundles/", "BUNDLES/")),
                Stage.RECEIVE, AMBIGUOUS + "the local header of " + bundle + " names it BUNDLES/");
    }

    /**
     * A bundle whose real manifest (the one the central directory lists) has {@code headers},
     * behind a local-only decoy manifest that says it is {@code declared} 1.0.0, as the package does.
     */
    private void behindDecoy(String name, String declared, Map<String, String> headers) throws Exception {
        byte[] jar = ZipSurgery.withLocalOnlyEntry(PatchArchive.bundleJar(headers), "META-INF/MANIFEST.MF",
                manifest(declared, "1.0.0"));
        signed(name, PatchArchive.deploymentPackage(name.replace(".dp", ""), "1.0.0")
                .bundle("bundles/x.jar", jar, declared, "1.0.0"), trusted, Stage.VERIFY,
                "bundles/x.jar" + AMBIGUOUS + LOCAL_ONLY_MANIFEST);
    }

    private void innerAmbiguous(String name, byte[] jar, String expected) throws Exception {
        signed(name, PatchArchive.deploymentPackage(name.replace(".dp", ""), "1.0.0").bundle("bundles/x.jar", jar,
                "io.patchbay.demo.plain", "1.0.0"), trusted, Stage.VERIFY, "bundles/x.jar" + AMBIGUOUS + expected);
    }

    private static byte[] manifest(String bsn, String version) {
        return ("Manifest-Version: 1.0\r\nBundle-ManifestVersion: 2\r\nBundle-SymbolicName: " + bsn
                + "\r\nBundle-Version: " + version + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    // --- helpers ---

    private PatchArchive policyFix() {
        return PatchArchive.deploymentPackage("io.patchbay.demo.policy-fix", "1.0.0")
                .bundle("bundles/io.patchbay.demo.policy-1.0.1.jar", policy101, POLICY, "1.0.1");
    }

    private Path goodPatch() {
        return PatchbayTestConfiguration.patch("policy-fix.dp");
    }

    private Path path(String name) {
        return folder.resolve(name);
    }

    private void raw(String name, byte[] bytes, Stage stage, String expected) throws Exception {
        Files.write(path(name), bytes);
        cases.add(new Case(name, stage, expected));
    }

    private void zip(String name, Map<String, byte[]> entries, Stage stage, String expected) throws Exception {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(path(name)))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        cases.add(new Case(name, stage, expected));
    }

    private void add(Path written, Stage stage, String expected, Map<String, byte[]> extra) throws Exception {
        Path target = path("tmp-" + written.getFileName());
        PatchArchive.rewrite(written, target, (n, b) -> b, extra);
        Files.move(target, written, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        cases.add(new Case(written.getFileName().toString(), stage, expected));
    }

    private void copy(String built, Stage stage, String expected) throws Exception {
        Files.copy(PatchbayTestConfiguration.patch(built), path(built));
        cases.add(new Case(built, stage, expected));
    }

    private void signed(String name, PatchArchive archive, PatchArchive.Signer signer, Stage stage, String expected)
            throws Exception {
        signed(name, archive, signer, "SHA-256", "SHA256withRSA", stage, expected);
    }

    private void signed(String name, PatchArchive archive, PatchArchive.Signer signer, String digestAlgorithm,
            String signatureAlgorithm, Stage stage, String expected) throws Exception {
        archive.write(path(name), signer, digestAlgorithm, signatureAlgorithm);
        cases.add(new Case(name, stage, expected));
    }

    /** A key whose certificate expired long ago, made with the JDK's keytool. */
    private Path expiredKeyStore() throws Exception {
        Path store = path("expired-key.p12");
        keytool("-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "expired-key",
                "-alias", "expired", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Expired Signer",
                "-startdate", "-3y", "-validity", "30");
        return store;
    }

    /**
     * A forged chain: the attacker's own CA takes the trusted signer's name and issues the
     * attacker a certificate; the genuine (public) trusted certificate is appended to the chain.
     * Every name matches; no signature does.
     */
    private void forgedChain() throws Exception {
        Path work = path("forgery.p12");
        String pass = "forgery";
        keytool("-genkeypair", "-keystore", work.toString(), "-storetype", "PKCS12", "-storepass", pass, "-alias",
                "fakeca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Patchbay Demo Patches", "-ext", "bc:c");
        keytool("-genkeypair", "-keystore", work.toString(), "-storetype", "PKCS12", "-storepass", pass, "-alias",
                "evil", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Evil Attacker");
        Path request = path("evil.csr");
        Path issued = path("evil.crt");
        keytool("-certreq", "-keystore", work.toString(), "-storepass", pass, "-alias", "evil", "-file", request.toString());
        keytool("-gencert", "-keystore", work.toString(), "-storepass", pass, "-alias", "fakeca", "-infile",
                request.toString(), "-outfile", issued.toString());
        java.security.KeyStore forged = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(work)) {
            forged.load(in, pass.toCharArray());
        }
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(PatchbayTestConfiguration.distribution()
                .resolve("etc/truststore.p12"))) {
            trust.load(in, "patchbay".toCharArray());
        }
        java.security.cert.Certificate evil;
        try (java.io.InputStream in = Files.newInputStream(issued)) {
            evil = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        PatchArchive.Signer signer = PatchArchive.Signer.of(
                (java.security.PrivateKey) forged.getKey("evil", pass.toCharArray()),
                List.of(evil, trust.getCertificate("patchbay-demo")));
        signed("forged-chain.dp", policyFix(), signer, Stage.VERIFY,
                "is signed by CN=Evil Attacker, which the trust store truststore.p12 does not trust");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
