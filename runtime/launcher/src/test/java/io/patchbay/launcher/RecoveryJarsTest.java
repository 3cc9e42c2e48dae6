package io.patchbay.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.patchbay.journal.JournalFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryJarsTest {

    @TempDir
    Path data;

    private Path journal;
    private Path store;
    private String policy;
    private String sensor;
    private String level0;

    /** Level 0 holds policy and sensor, each jar in the store. */
    @BeforeEach
    void levelZeroWithTwoStoredJars() throws Exception {
        journal = JournalFormat.in(data);
        store = data.resolve(RecoveryJars.STORE_IN_DATA);
        Files.createDirectories(store);
        policy = stored("policy 1.0.0 jar");
        sensor = stored("sensor 1.0.0 jar");
        level0 = record("LEVEL|level=0|bundles=", "demo.policy@1.0.0@" + policy + "@" + encode("file:/p.jar")
                + ",demo.sensor@1.0.0@" + sensor + "@" + encode("file:/s.jar"));
    }

    @Test
    void aStartWhoseRecoveryNeedsADamagedJarIsRefusedWithOneLineNamingItAndChangesNothing() throws Exception {
        Files.writeString(journal, level0 + applyOfPolicy());
        Path jar = store.resolve(policy + ".jar");
        Files.writeString(jar, "policy 1.0");
        byte[] before = Files.readAllBytes(journal);

        LaunchException e = assertThrows(LaunchException.class, () -> RecoveryJars.requireIntact(data));
        assertEquals(LaunchException.ENVIRONMENT, e.exitStatus());
        assertEquals("stored jar " + jar + " of demo.policy 1.0.0 is damaged (10 bytes whose sha256 is "
                + sha256("policy 1.0") + "), and the recovery at start needs it to finish the interrupted apply of"
                + " policy-fix 1.0.0, so the runtime does not start; restore " + store + " from a backup of the"
                + " data folder", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(journal));
        assertArrayEquals("policy 1.0".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(jar));
    }

    @Test
    void aDamagedJarThatNoRecoveryNeedsAllowsTheStart() throws Exception {
        Files.writeString(store.resolve(sensor + ".jar"), "damaged");
        Files.writeString(journal, level0 + applyOfPolicy());
        RecoveryJars.requireIntact(data); // the interrupted apply touched the policy only
        Files.writeString(store.resolve(policy + ".jar"), "damaged");
        Files.writeString(journal, level0 + applyOfPolicy() + JournalFormat.line("END|id=1|outcome=committed"));
        RecoveryJars.requireIntact(data); // it ended: nothing to recover
        Files.delete(journal);
        RecoveryJars.requireIntact(data);
    }

    @Test
    void aRepairedJournalNeedsEveryJarOfItsLastLevelUntilTheRestoreBegins() throws Exception {
        Files.writeString(store.resolve(sensor + ".jar"), "damaged");
        String repaired = level0 + JournalFormat.line("REPAIRED|line=2");
        Files.writeString(journal, repaired);
        LaunchException e = assertThrows(LaunchException.class, () -> RecoveryJars.requireIntact(data));
        assertEquals("stored jar " + store.resolve(sensor + ".jar") + " of demo.sensor 1.0.0 is damaged (7 bytes"
                + " whose sha256 is " + sha256("damaged") + "), and the recovery at start needs it to finish the"
                + " journal repair, so the runtime does not start; restore " + store + " from a backup of the data"
                + " folder", e.getMessage());
        Files.writeString(journal, repaired + record("BEGIN|id=2|op=", "journal repair") + record("END|id=2|outcome=",
                "recovered"));
        RecoveryJars.requireIntact(data);
    }

    /** An apply of the policy fix that began, updated the policy and never ended. */
    private String applyOfPolicy() throws Exception {
        String changes = String.join("@", "demo.policy", "UPDATE", encode("file:/p.jar"), "1.0.0", policy, "1.0.1",
                sha256("policy 1.0.1 jar"), encode("file:/p.jar"));
        return JournalFormat.line("BEGIN|id=1|op=apply|subject=" + encode("policy-fix 1.0.0") + "|changes="
                + encode(changes)) + record("STEP|id=1|name=", "updated demo.policy to 1.0.1");
    }

    private String stored(String content) throws Exception {
        String hash = sha256(content);
        Files.writeString(store.resolve(hash + ".jar"), content);
        return hash;
    }

    /** A record whose last field's value is {@code value}, URL-encoded as the engine writes it. */
    private static String record(String bodyUpToValue, String value) {
        return JournalFormat.line(bodyUpToValue + encode(value));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
