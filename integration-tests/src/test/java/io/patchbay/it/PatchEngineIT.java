package io.patchbay.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.patchbay.patch.health.HealthCheck;
import io.patchbay.patch.health.HealthResult;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.PatchOutcome;
import io.patchbay.patch.PatchPlan;
import io.patchbay.patch.ProgressListener;
import io.patchbay.patch.Stage;
import io.patchbay.patch.Strategy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The patch engine in a real Felix with the demo appliance and the signed patches the build
 * produced: every stage, every refusal and every automatic rollback. A refused or rolled-back
 * patch must leave bundles, versions, states, services and components exactly as they were.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class PatchEngineIT extends InFrameworkTest {

    static final String POLICY = "io.patchbay.demo.policy";
    static final String SENSOR = "io.patchbay.demo.sensor";
    /** The bundle sensor-watch.dp adds. */
    static final String WATCH = "io.patchbay.demo.watch";

    @Inject
    PatchManager patches;

    @Test
    public void thePolicyFixIsAppliedCommittedAndRolledBack() throws Exception {
        int port = port();
        Await.until("the appliance", STARTUP, () -> okOrNull(port, "/decide?celsius=-5"));
        assertEquals("OFF", heater(port));
        List<String> stages = new CopyOnWriteArrayList<>();
        List<String> topics = recordEvents();

        PatchOutcome applied = patches.apply(PatchbayTestConfiguration.patch("policy-fix.dp"), PatchOptions.DEFAULT,
                (stage, took, summary) -> stages.add(stage.name()));
        assertEquals(applied.reason(), PatchOutcome.Result.COMMITTED, applied.result());
        assertEquals(1, applied.level());
        assertEquals(List.of("RECEIVE", "VERIFY", "PLAN", "APPLY", "HEALTH", "COMMIT"), stages);
        assertEquals("1.0.1", RuntimeState.of(context, scr).version(POLICY));
        Await.until("the fixed policy to heat below freezing", STARTUP, () -> "ON".equals(heater(port)));
        Await.until("an event for every stage and the outcome", STARTUP, () -> topics.containsAll(List.of(
                "patchbay/patch/RECEIVE", "patchbay/patch/VERIFY", "patchbay/patch/PLAN", "patchbay/patch/APPLY",
                "patchbay/patch/HEALTH", "patchbay/patch/COMMIT", "patchbay/patch/COMMITTED")));
        assertEquals(1, patches.installedPackages().size());

        PatchOutcome rolledBack = patches.rollback(0, PatchOptions.DEFAULT, ProgressListener.NONE);
        assertEquals(rolledBack.reason(), PatchOutcome.Result.COMMITTED, rolledBack.result());
        assertEquals(2, rolledBack.level());
        assertEquals("1.0.0", RuntimeState.of(context, scr).version(POLICY));
        Await.until("the bug to be back", STARTUP, () -> "OFF".equals(heater(port)));
        assertEquals(0, patches.installedPackages().size());
        assertEquals(List.of("provision", "apply", "rollback"),
                patches.history().stream().map(h -> h.operation()).toList());
    }

    @Test
    public void aPatchThatAddsABundleRollsBackToTheLevelBeforeIt() throws Exception {
        RuntimeState before = settledState();
        // patch:rollback 0
        applyTheSensorWatch();
        PatchOutcome toZero = patches.rollback(0, PatchOptions.DEFAULT, ProgressListener.NONE);
        assertEquals(toZero.reason(), PatchOutcome.Result.COMMITTED, toZero.result());
        assertEquals(2, patches.currentLevel().number());
        assertAsBefore(before);
        // patch:rollback without a level: the current level's previous one, which for a level made
        // by an apply is the level the apply started from (level 2, the bundles of level 0)
        applyTheSensorWatch();
        int previous = patches.currentLevel().previous();
        assertEquals(2, previous);
        PatchOutcome toPrevious = patches.rollback(previous, PatchOptions.DEFAULT, ProgressListener.NONE);
        assertEquals(toPrevious.reason(), PatchOutcome.Result.COMMITTED, toPrevious.result());
        assertEquals(4, patches.currentLevel().number());
        assertAsBefore(before);
        assertEquals(List.of("provision", "apply", "rollback", "apply", "rollback"),
                patches.history().stream().map(h -> h.operation()).toList());
    }

    /** Adds a bundle level 0 does not have: active, with its health check registered. */
    private void applyTheSensorWatch() throws Exception {
        PatchOutcome added = patches.apply(PatchbayTestConfiguration.patch("sensor-watch.dp"), PatchOptions.DEFAULT,
                ProgressListener.NONE);
        assertEquals(added.reason(), PatchOutcome.Result.COMMITTED, added.result());
        RuntimeState now = RuntimeState.of(context, scr);
        assertEquals("1.0.0 ACTIVE", now.bundles().get(WATCH + " patchbay:" + WATCH));
        assertTrue(now.services().toString(), now.services().contains("io.patchbay.patch.health.HealthCheck @ " + WATCH));
    }

    @Test
    public void aBundleThatExportsPackagesOfTheFrameworkOrTheRuntimeIsRefusedAtPlan() throws Exception {
        RuntimeState before = settledState();
        try {
            patches.simulate(PatchbayTestConfiguration.patch("exports-platform.dp"), PatchOptions.DEFAULT,
                    ProgressListener.NONE);
            fail("expected the simulation to refuse io.patchbay.demo.impostor");
        } catch (PatchException e) {
            assertEquals(e.getMessage(), Stage.PLAN, e.stage());
            assertTrue(e.getMessage(), e.getMessage().startsWith("bundle io.patchbay.demo.impostor 1.0.0 exports"
                    + " packages the platform provides: "));
            // One package of the system bundle, one of a Patchbay runtime bundle.
            assertTrue(e.getMessage(), e.getMessage().contains("org.osgi.framework (the framework)"));
            assertTrue(e.getMessage(), e.getMessage().contains("io.patchbay.patch (io.patchbay."));
            assertTrue("one line: " + e.getMessage(), !e.getMessage().contains("\n"));
        }
        assertEquals(before, RuntimeState.of(context, scr));
        assertRefused("exports-platform.dp", Stage.PLAN, "bundle io.patchbay.demo.impostor 1.0.0 exports packages the"
                + " platform provides: io.patchbay.patch (");
    }

    @Test
    public void aSimulationChoosesHandoverForThePolicyAndNamesWhoRebinds() throws Exception {
        awaitAppliance();
        RuntimeState before = RuntimeState.of(context, scr);
        PatchPlan plan = patches.simulate(PatchbayTestConfiguration.patch("policy-fix.dp"), PatchOptions.DEFAULT,
                ProgressListener.NONE);
        assertEquals(Strategy.HANDOVER, plan.strategy());
        assertTrue(plan.reason(), plan.reason().contains("no other bundle is wired"));
        assertEquals(List.of(POLICY), plan.closure());
        assertEquals(List.of(), plan.restarted());
        // Both consumers hold dynamic references: they rebind without a gap.
        assertEquals(List.of(), plan.consumers());
        assertTrue(plan.notes().toString(), plan.notes().stream().anyMatch(n -> n.startsWith("rebind through the registry")
                && n.contains("io.patchbay.demo.control") && n.contains("io.patchbay.demo.web")));
        assertEquals(before, RuntimeState.of(context, scr));
    }

    @Test
    public void handoverIsRefusedWhereOtherBundlesAreWiredToTheBundle() throws Exception {
        awaitAppliance();
        RuntimeState before = RuntimeState.of(context, scr);
        try {
            patches.simulate(PatchbayTestConfiguration.patch("appliance-1.0.0.dp"),
                    PatchOptions.DEFAULT.withStrategy(Strategy.HANDOVER), ProgressListener.NONE);
        } catch (PatchException e) {
            fail("the appliance patch replaces policy and sensor, which nobody imports: " + e.getMessage());
        }
        // The API bundle is imported by every other demo bundle: two versions cannot serve side by side.
        assertRefusedAs(PatchbayTestConfiguration.patch("api-break.dp"), Strategy.HANDOVER, Stage.PLAN,
                "strategy handover is not safe for this patch: ");
        assertRefusedAs(PatchbayTestConfiguration.patch("api-break.dp"), Strategy.HANDOVER, Stage.PLAN,
                "is wired to io.patchbay.demo.api (imports its package io.patchbay.demo.api)");
        assertEquals(before, RuntimeState.of(context, scr));
    }

    @Test
    public void aRefreshSimulationNamesTheClosureServicesAndConsumersAndChangesNothing() throws Exception {
        awaitAppliance();
        RuntimeState before = RuntimeState.of(context, scr);
        PatchPlan plan = patches.simulate(PatchbayTestConfiguration.patch("policy-fix.dp"),
                PatchOptions.DEFAULT.withStrategy(Strategy.REFRESH), ProgressListener.NONE);
        assertEquals(Strategy.REFRESH, plan.strategy());
        assertEquals(List.of(POLICY), plan.closure());
        assertEquals(List.of(POLICY), plan.restarted());
        assertEquals(1, plan.changes().size());
        assertEquals(PatchPlan.ChangeKind.UPDATE, plan.changes().get(0).kind());
        assertEquals("1.0.0", plan.changes().get(0).from().toString());
        assertEquals("1.0.1", plan.changes().get(0).to().toString());
        assertTrue(plan.services().toString(), plan.services().stream()
                .anyMatch(s -> s.startsWith("io.patchbay.demo.api.HeatingPolicy ")));
        assertTrue(plan.consumers().toString(), plan.consumers().containsAll(List.of("io.patchbay.demo.control",
                "io.patchbay.demo.web")));
        assertTrue(plan.components().toString(), plan.components().stream()
                .anyMatch(c -> c.startsWith("io.patchbay.demo.policy.ThresholdPolicy")));
        assertEquals(before, RuntimeState.of(context, scr));
    }

    @Test
    public void aMultiBundlePatchThenItsFixPack() throws Exception {
        awaitAppliance();
        PatchOutcome appliance = patches.apply(PatchbayTestConfiguration.patch("appliance-1.0.0.dp"),
                PatchOptions.DEFAULT, ProgressListener.NONE);
        assertEquals(appliance.reason(), PatchOutcome.Result.COMMITTED, appliance.result());
        assertEquals("1.0.1", RuntimeState.of(context, scr).version(POLICY));
        assertEquals("1.0.1", RuntimeState.of(context, scr).version(SENSOR));

        PatchOutcome fixPack = patches.apply(PatchbayTestConfiguration.patch("appliance-1.0.1-fixpack.dp"),
                PatchOptions.DEFAULT, ProgressListener.NONE);
        assertEquals(fixPack.reason(), PatchOutcome.Result.COMMITTED, fixPack.result());
        assertEquals(2, fixPack.level());
        assertEquals("1.0.2", RuntimeState.of(context, scr).version(POLICY));
        assertEquals("1.0.1", RuntimeState.of(context, scr).version(SENSOR));
        assertEquals("io.patchbay.demo.appliance 1.0.1",
                patches.installedPackages().get(0).symbolicName() + " " + patches.installedPackages().get(0).version());
    }

    @Test
    public void anUnsignedPatchIsRefused() throws Exception {
        assertRefused("policy-fix-unsigned.dp", Stage.VERIFY, "patch policy-fix-unsigned.dp is not signed");
    }

    @Test
    public void aPatchSignedByAnUntrustedKeyIsRefused() throws Exception {
        assertRefused("policy-fix-untrusted.dp", Stage.VERIFY, "which the trust store truststore.p12 does not trust");
    }

    @Test
    public void aPatchWithAnEntryAlteredAfterSigningIsRefused() throws Exception {
        Path altered = rewrite("policy-fix.dp", "altered.dp", (name, bytes) -> {
            if (name.startsWith("bundles/")) {
                byte[] changed = bytes.clone();
                changed[changed.length / 2] ^= 0x5a;
                return changed;
            }
            return bytes;
        }, null);
        assertRefused(altered, Stage.VERIFY, "was altered after it was signed");
    }

    @Test
    public void aTruncatedPatchIsRefused() throws Exception {
        byte[] whole = Files.readAllBytes(PatchbayTestConfiguration.patch("policy-fix.dp"));
        Path truncated = Files.write(Files.createTempFile("truncated", ".dp"),
                java.util.Arrays.copyOf(whole, whole.length / 2));
        assertRefused(truncated, Stage.RECEIVE, "is not a readable archive");
    }

    @Test
    public void aPatchWithAPathTraversalEntryIsRefused() throws Exception {
        Path traversal = rewrite("policy-fix.dp", "traversal.dp", (name, bytes) -> bytes, "../../etc/evil.jar");
        assertRefused(traversal, Stage.RECEIVE, "has an unsafe entry name: ../../etc/evil.jar");
    }

    @Test
    public void aDowngradeIsRefusedUnlessAskedFor() throws Exception {
        awaitAppliance();
        PatchOutcome fix = patches.apply(PatchbayTestConfiguration.patch("policy-fix.dp"), PatchOptions.DEFAULT,
                ProgressListener.NONE);
        assertEquals(PatchOutcome.Result.COMMITTED, fix.result());
        assertRefused("policy-downgrade.dp", Stage.VERIFY, "would downgrade io.patchbay.demo.policy from 1.0.1 to 1.0.0");

        PatchOutcome downgrade = patches.apply(PatchbayTestConfiguration.patch("policy-downgrade.dp"),
                new PatchOptions(false, true, "test"), ProgressListener.NONE);
        assertEquals(downgrade.reason(), PatchOutcome.Result.COMMITTED, downgrade.result());
        assertEquals("1.0.0", RuntimeState.of(context, scr).version(POLICY));
    }

    @Test
    public void aMicroVersionThatChangesApiIsRefused() throws Exception {
        assertRefused("api-break.dp", Stage.PLAN, "io.patchbay.demo.api 1.0.1 changes its API in a micro version");
    }

    @Test
    public void anUnresolvablePatchIsRefusedWithTheMissingRequirementNamed() throws Exception {
        assertRefused("policy-unresolvable.dp", Stage.PLAN, "io.patchbay.demo.missing");
    }

    @Test
    public void aFixPackForAPackageNotInstalledIsRefused() throws Exception {
        assertRefused("appliance-1.0.1-fixpack.dp", Stage.VERIFY,
                "fix pack io.patchbay.demo.appliance 1.0.1 applies to io.patchbay.demo.appliance [1.0.0,1.0.1), which is not installed");
    }

    @Test
    public void anActivatorThatThrowsIsRolledBack() throws Exception {
        assertRolledBack("policy-activator-throws.dp", "io.patchbay.demo.policy");
    }

    @Test
    public void aComponentThatFailsToActivateIsRolledBack() throws Exception {
        assertRolledBack("policy-component-fails.dp", "io.patchbay.demo.policy.ThresholdPolicy");
    }

    @Test
    public void aFailingHealthCheckIsRolledBack() throws Exception {
        assertRolledBack("policy-unhealthy.dp", "health check demo control loop");
    }

    @Test
    public void aHealthCheckThatThrowsAnErrorRollsThePatchBack() throws Exception {
        context.registerService(HealthCheck.class, () -> {
            throw new NoClassDefFoundError("simulated: a class of a refreshed bundle is gone");
        }, null);
        assertRolledBack("policy-fix.dp", "NoClassDefFoundError");
    }

    @Test
    public void aHealthCheckThatHangsRollsThePatchBack() throws Exception {
        context.registerService(HealthCheck.class, () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HealthResult.ok("too late");
        }, null);
        assertRolledBack("policy-fix.dp", "did not answer within 5 s");
    }

    private void assertRefused(String patch, Stage stage, String expected) throws Exception {
        assertRefused(PatchbayTestConfiguration.patch(patch), stage, expected);
    }

    private void assertRefused(Path patch, Stage stage, String expected) throws Exception {
        assertRefusedAs(patch, Strategy.AUTO, stage, expected);
    }

    private void assertRefusedAs(Path patch, Strategy strategy, Stage stage, String expected) throws Exception {
        RuntimeState before = settledState();
        int level = patches.currentLevel().number();
        try {
            patches.apply(patch, PatchOptions.DEFAULT.withStrategy(strategy), ProgressListener.NONE);
            fail("expected " + patch.getFileName() + " to be refused");
        } catch (PatchException e) {
            assertTrue("'" + e.getMessage() + "' should contain '" + expected + "'", e.getMessage().contains(expected));
            assertEquals(e.getMessage(), stage, e.stage());
            assertTrue("one line: " + e.getMessage(), !e.getMessage().contains("\n"));
        }
        assertEquals(level, patches.currentLevel().number());
        assertEquals(before, RuntimeState.of(context, scr));
    }

    private void assertRolledBack(String patch, String reasonMentions) throws Exception {
        RuntimeState before = settledState();
        PatchOutcome outcome = patches.apply(PatchbayTestConfiguration.patch(patch), PatchOptions.DEFAULT,
                ProgressListener.NONE);
        assertEquals(outcome.reason(), PatchOutcome.Result.ROLLED_BACK, outcome.result());
        assertTrue(outcome.reason(), outcome.reason().contains(reasonMentions));
        assertEquals(0, outcome.level());
        assertEquals(0, patches.currentLevel().number());
        assertAsBefore(before);
        assertEquals("rolled-back", patches.history().get(patches.history().size() - 1).outcome());
    }

    /** Waits for the runtime to look as it did, or fails naming what differs. */
    private void assertAsBefore(RuntimeState before) throws Exception {
        try {
            Await.until("the state before the patch", STARTUP, () -> {
                RuntimeState now = RuntimeState.of(context, scr);
                return now.equals(before) ? now : null;
            });
        } catch (AssertionError e) {
            fail("not as before the patch: " + RuntimeState.of(context, scr).differencesFrom(before));
        }
    }

    /** The state to compare with afterwards, once the appliance has settled. */
    private RuntimeState settledState() throws Exception {
        awaitAppliance();
        return RuntimeState.of(context, scr);
    }

    /** Waits until the appliance runs and the policy has been used, so snapshots are stable. */
    private void awaitAppliance() throws Exception {
        int port = port();
        Await.until("the appliance", STARTUP, () -> okOrNull(port, "/decide?celsius=5"));
        Await.until("every demo component to be active", STARTUP, () -> RuntimeState.of(context, scr).components()
                .entrySet().stream().filter(e -> e.getKey().startsWith("io.patchbay.demo."))
                .allMatch(e -> e.getValue().equals("8")));
    }

    private String heater(int port) throws Exception {
        String body = Http.get(port, "/decide?celsius=-5").body();
        return body.contains("\"heater\":\"ON\"") ? "ON" : body.contains("\"heater\":\"OFF\"") ? "OFF" : body;
    }

    private List<String> recordEvents() {
        List<String> topics = new CopyOnWriteArrayList<>();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, "patchbay/patch/*");
        context.registerService(EventHandler.class, event -> topics.add(event.getTopic()), properties);
        return topics;
    }

    private interface EntryRewriter {
        byte[] rewrite(String name, byte[] bytes);
    }

    /** Copies a built patch entry by entry, changing entries and optionally adding one. */
    private static Path rewrite(String source, String target, EntryRewriter rewriter, String extraEntry) throws IOException {
        Path out = Files.createTempDirectory("patches").resolve(target);
        try (ZipFile zip = new ZipFile(PatchbayTestConfiguration.patch(source).toFile());
                ZipOutputStream zipOut = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                byte[] bytes = zip.getInputStream(entry).readAllBytes();
                zipOut.putNextEntry(new ZipEntry(entry.getName()));
                zipOut.write(rewriter.rewrite(entry.getName(), bytes));
                zipOut.closeEntry();
            }
            if (extraEntry != null) {
                zipOut.putNextEntry(new ZipEntry(extraEntry));
                ByteArrayOutputStream nothing = new ByteArrayOutputStream();
                zipOut.write(nothing.toByteArray());
                zipOut.closeEntry();
            }
        }
        return out;
    }
}
