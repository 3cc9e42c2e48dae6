package io.patchbay.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

/**
 * A store jar that the recovery at start needs, damaged while the runtime was down, as the built
 * distribution meets it: the start is refused with exit status 3 and one line naming the jar and
 * the way out, before any application bundle runs (the application never runs without its
 * engine); once the store is restored from a backup, the next start recovers as after any crash.
 */
class StoreDamageIT extends ProcessTest {

    private static final String POLICY = "io.patchbay.demo.policy";

    @Test
    void aDamagedJarThatRecoveryNeedsStopsTheStartUntilTheStoreIsRestored() throws Exception {
        Path data = temp.resolve("data");
        int port = FreePort.pick();
        PatchConsoleIT.killMidwayThroughThePolicyFix(data, port);
        Path jar = storedJar(data, POLICY, "1.0.0");
        byte[] whole = Files.readAllBytes(jar);
        Files.write(jar, Arrays.copyOf(whole, whole.length / 2));
        Path journal = data.resolve("patchbay/journal.log");
        byte[] journalBefore = Files.readAllBytes(journal);

        try (RuntimeProcess refused = RuntimeProcess.launch(data, port, logs, Map.of())) {
            Await.until("the start to be refused or to go on", RuntimeProcess.START_TIMEOUT,
                    () -> !refused.isAlive() || refused.out().contains("Patchbay started"));
            assertFalse(refused.out().contains("Patchbay started"), "started without its engine: " + refused.out());
            assertEquals(3, refused.awaitExit(Duration.ofSeconds(30)), refused.out() + refused.err());
            List<String> err = refused.err().strip().lines().toList();
            assertEquals(1, err.size(), refused.err());
            assertTrue(err.get(0).startsWith("patchbay: stored jar " + jar + " of " + POLICY + " 1.0.0 is damaged ("
                    + whole.length / 2 + " bytes whose sha256 is "), err.get(0));
            assertTrue(err.get(0).endsWith("the interrupted apply of io.patchbay.demo.policy-fix 1.0.0, so the runtime"
                    + " does not start; restore " + jar.getParent() + " from a backup of the data folder"), err.get(0));
            assertNull(Http.tryGet(port, "/status"), "the application must not have started");
        }
        assertArrayEquals(journalBefore, Files.readAllBytes(journal), "a refused start changes nothing");

        Files.write(jar, whole); // the store restored from a backup
        try (RuntimeProcess restarted = RuntimeProcess.start(data, port, logs)) {
            assertTrue(restarted.out().contains("was rolled back at start"), restarted.out());
            PatchConsoleIT.awaitActive(port, "after the store was restored", "1.0.0", POLICY);
            assertTrue(restarted.console(logs, "patch:status").out().startsWith("Patch level 0:"));
        }
    }

    /** The engine's copy of a bundle's jar in the data folder's store, found by its manifest. */
    private static Path storedJar(Path data, String symbolicName, String version) throws Exception {
        Path store = data.resolve("patchbay/store");
        try (Stream<Path> jars = Files.list(store)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                try (JarFile file = new JarFile(jar.toFile(), false)) {
                    Attributes main = file.getManifest().getMainAttributes();
                    if (String.valueOf(main.getValue("Bundle-SymbolicName")).split(";")[0].trim().equals(symbolicName)
                            && Version.parseVersion(version).equals(Version.parseVersion(main.getValue("Bundle-Version")))) {
                        return jar;
                    }
                }
            }
        }
        throw new AssertionError("no stored jar of " + symbolicName + " " + version + " in " + store);
    }
}
