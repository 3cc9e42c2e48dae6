package io.patchbay.it.faults;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.patchbay.it.Await;
import io.patchbay.it.InFrameworkTest;
import io.patchbay.it.PatchbayTestConfiguration;
import io.patchbay.it.RuntimeState;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.PatchOutcome;
import io.patchbay.patch.ProgressListener;
import io.patchbay.patch.Stage;
import io.patchbay.patch.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Version;

/**
 * A rollback that cannot be carried out for a reason outside the patches, a damaged jar in the
 * store or a full disk, fails with one line naming that cause, and leaves the runtime and its
 * level exactly as they were.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class RollbackFaultsIT extends InFrameworkTest {

    static final String POLICY = "io.patchbay.demo.policy";
    static final String FAIL_WRITE = "patchbay.test.failWrite";

    @Inject
    PatchManager patches;

    /** Fault injection is active only in a runtime started with it; the full disk is armed later, in the test. */
    @Configuration
    @Override
    public Option[] configuration() {
        List<Option> options = new ArrayList<>(Arrays.asList(super.configuration()));
        options.add(frameworkProperty("patchbay.test.faults").value("true"));
        return options.toArray(new Option[0]);
    }

    @Test
    public void aTruncatedJarInTheStoreRefusesTheRollbackNamingTheJar() throws Exception {
        RuntimeState before = atLevelOne();
        Path stored = storedJar(POLICY, "1.0.0");
        byte[] whole = Files.readAllBytes(stored);
        Files.write(stored, Arrays.copyOf(whole, whole.length / 2));
        String hash = stored.getFileName().toString().replace(".jar", "");

        PatchException refused = rollbackFails();
        assertTrue(refused.getMessage(), refused.getMessage().contains("the stored jar sha256 " + hash + " for "
                + POLICY + " 1.0.0 is damaged (truncated: " + whole.length / 2 + " bytes"));
        assertEquals(refused.getMessage(), Stage.VERIFY, refused.stage());
        assertStillAt(before);
    }

    /**
     * The automatic undo of a patch that fails its health check takes the old jar from the store,
     * which no check before the patch read whole: a jar damaged meanwhile is named in the failure.
     */
    @Test
    public void aJarDamagedBeforeTheUndoOfAFailedPatchIsNamedInTheFailure() throws Exception {
        awaitSettled();
        Path stored = storedJar(POLICY, "1.0.0");
        byte[] whole = Files.readAllBytes(stored);
        String hash = stored.getFileName().toString().replace(".jar", "");
        ProgressListener damageOnceApplied = (stage, took, summary) -> {
            if (stage == Stage.APPLY) {
                try {
                    Files.write(stored, Arrays.copyOf(whole, whole.length / 2));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        try {
            PatchOutcome outcome = patches.apply(PatchbayTestConfiguration.patch("policy-unhealthy.dp"),
                    PatchOptions.DEFAULT.withStrategy(Strategy.REFRESH), damageOnceApplied);
            fail("expected the undo to fail, the apply ended " + outcome.result() + ": " + outcome.reason());
        } catch (PatchException e) {
            assertEquals(e.getMessage(), Stage.ROLLBACK, e.stage());
            assertTrue(e.getMessage(), e.getMessage().contains("could not undo " + POLICY + ": the stored jar sha256 "
                    + hash + " for " + POLICY + " 1.0.0 is damaged (truncated: " + whole.length / 2 + " bytes"));
            assertFalse("one line: " + e.getMessage(), e.getMessage().contains("\n"));
        }
    }

    @Test
    public void aFullDiskDuringARollbackIsNamedAsTheCauseNotAsAFailedHealthGate() throws Exception {
        RuntimeState before = atLevelOne();
        PatchException failed;
        System.setProperty(FAIL_WRITE, "bundle-cache"); // the framework falls back to system properties
        try {
            failed = rollbackFails();
        } finally {
            System.clearProperty(FAIL_WRITE);
        }
        assertTrue(failed.getMessage(), failed.getMessage().startsWith("rollback to level 0 could not be carried out"
                + " and was undone; the runtime is at level 1 as before: No space left on device"));
        assertTrue(failed.getMessage(), failed.getMessage().endsWith(
                " while writing " + POLICY + " 1.0.0 to the framework's bundle cache"));
        assertEquals(failed.getMessage(), Stage.APPLY, failed.stage());
        assertStillAt(before);

        // Nothing was left behind: with room on the disk again, the same rollback goes through.
        PatchOutcome again = patches.rollback(0, PatchOptions.DEFAULT, ProgressListener.NONE);
        assertEquals(again.reason(), PatchOutcome.Result.COMMITTED, again.result());
        assertEquals("1.0.0", RuntimeState.of(context, scr).version(POLICY));
    }

    /** Applies the policy fix and returns the settled state at level 1. */
    private RuntimeState atLevelOne() throws Exception {
        awaitSettled();
        PatchOutcome applied = patches.apply(PatchbayTestConfiguration.patch("policy-fix.dp"), PatchOptions.DEFAULT,
                ProgressListener.NONE);
        assertEquals(applied.reason(), PatchOutcome.Result.COMMITTED, applied.result());
        awaitSettled();
        RuntimeState state = RuntimeState.of(context, scr);
        assertEquals("1.0.1", state.version(POLICY));
        return state;
    }

    private PatchException rollbackFails() {
        try {
            PatchOutcome outcome = patches.rollback(0, PatchOptions.DEFAULT, ProgressListener.NONE);
            fail("expected the rollback to fail, it ended " + outcome.result() + ": " + outcome.reason());
            return null;
        } catch (PatchException e) {
            assertFalse("one line: " + e.getMessage(), e.getMessage().contains("\n"));
            assertFalse(e.getMessage(), e.getMessage().contains("health gate"));
            return e;
        }
    }

    private void assertStillAt(RuntimeState before) throws Exception {
        assertEquals(1, patches.currentLevel().number());
        try {
            Await.until("the state before the rollback", STARTUP, () -> {
                RuntimeState now = RuntimeState.of(context, scr);
                return now.equals(before) ? now : null;
            });
        } catch (AssertionError e) {
            fail("not as before the rollback: " + RuntimeState.of(context, scr).differencesFrom(before));
        }
    }

    private void awaitSettled() throws Exception {
        int port = port();
        Await.until("the appliance", STARTUP, () -> okOrNull(port, "/decide?celsius=5"));
        Await.until("every demo component active", STARTUP, () -> RuntimeState.of(context, scr).components()
                .entrySet().stream().filter(e -> e.getKey().startsWith("io.patchbay.demo."))
                .allMatch(e -> e.getValue().equals("8")));
    }

    /**
     * The engine's copy of a bundle jar in its store. Without a launcher the engine keeps its files
     * in its own bundle storage, which Felix lays out as {@code <cache>/bundle<id>/data}.
     */
    private Path storedJar(String symbolicName, String version) throws Exception {
        Path cache = context.getDataFile("").toPath().getParent().getParent();
        long engine = installed(context, "io.patchbay.engine").getBundleId();
        Path store = cache.resolve("bundle" + engine).resolve("data/patchbay/store");
        try (Stream<Path> jars = Files.list(store)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                try (JarFile file = new JarFile(jar.toFile(), false)) {
                    Attributes main = file.getManifest().getMainAttributes();
                    String name = String.valueOf(main.getValue("Bundle-SymbolicName")).split(";")[0].trim();
                    if (symbolicName.equals(name) && Version.parseVersion(version)
                            .equals(Version.parseVersion(main.getValue("Bundle-Version")))) {
                        return jar;
                    }
                }
            }
        }
        throw new AssertionError("no stored jar of " + symbolicName + " " + version + " in " + store + ": "
                + List.of(store.toFile().list()));
    }
}
