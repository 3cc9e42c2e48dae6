package io.patchbay.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.patchbay.demo.api.ControlLoop;
import io.patchbay.demo.api.HeatingPolicy;
import io.patchbay.patch.handover.HandoverParticipant;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.PatchOutcome;
import io.patchbay.patch.PinnedRevision;
import io.patchbay.patch.ProgressListener;
import io.patchbay.patch.Strategy;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Strategy handover in a real Felix with the demo appliance: callers that keep calling the policy
 * while it is swapped see no failure; the control loop's totals survive a swap of the loop
 * itself; a failure while state is handed over rolls the patch back and the old version carries
 * on; and a revision kept in memory by a thread it left running is reported with that thread.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HandoverIT extends InFrameworkTest {

    static final String POLICY = "io.patchbay.demo.policy";
    static final String CONTROL = "io.patchbay.demo.control";
    static final int CALLERS = 8;

    @Inject
    PatchManager patches;

    @Test
    public void callersOfThePolicySeeNoFailureWhileItIsHandedOverAndBack() throws Exception {
        awaitAppliance();
        ServiceTracker<HeatingPolicy, HeatingPolicy> policies = new ServiceTracker<>(context, HeatingPolicy.class, null);
        policies.open();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong calls = new AtomicLong();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Thread caller = new Thread(() -> {
                while (running.get()) {
                    try {
                        HeatingPolicy policy = policies.getService();
                        if (policy == null) {
                            failures.add("no policy service");
                        } else {
                            policy.decide(-5);
                            calls.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failures.add(String.valueOf(e));
                    }
                }
            }, "handover-caller-" + i);
            caller.start();
            callers.add(caller);
        }
        try {
            for (int round = 0; round < 3; round++) {
                PatchOutcome applied = patches.apply(PatchbayTestConfiguration.patch("policy-fix.dp"),
                        PatchOptions.DEFAULT, ProgressListener.NONE);
                assertEquals(applied.reason(), PatchOutcome.Result.COMMITTED, applied.result());
                assertEquals(Strategy.HANDOVER, applied.plan().strategy());
                assertEquals("1.0.1", RuntimeState.of(context, scr).version(POLICY));
                PatchOutcome back = patches.rollback(applied.level() - 1, PatchOptions.DEFAULT, ProgressListener.NONE);
                assertEquals(back.reason(), PatchOutcome.Result.COMMITTED, back.result());
                assertEquals(Strategy.HANDOVER, back.plan().strategy());
                assertEquals("1.0.0", RuntimeState.of(context, scr).version(POLICY));
            }
        } finally {
            running.set(false);
            for (Thread caller : callers) {
                caller.join(5_000);
            }
            policies.close();
        }
        assertTrue("calls were made: " + calls.get(), calls.get() > 1_000);
        assertEquals("failed calls during 6 handovers: " + failures.stream().limit(5).toList(), 0, failures.size());
        // One policy bundle, at the location level 0 recorded: the handover back restored it.
        assertEquals(1, RuntimeState.of(context, scr).bundles().keySet().stream().filter(k -> k.startsWith(POLICY + " "))
                .count());
    }

    @Test
    public void theControlLoopKeepsItsTotalsAcrossAHandoverOfTheLoopItself() throws Exception {
        awaitAppliance();
        Supplier<ControlLoop> loop = () -> context.getService(context.getServiceReference(ControlLoop.class));
        Await.until("some readings", STARTUP, () -> loop.get().totals().readings() >= 10 ? true : null);
        long readingsBefore = loop.get().totals().readings();

        PatchOutcome policy = patches.apply(PatchbayTestConfiguration.patch("policy-fix.dp"), PatchOptions.DEFAULT,
                ProgressListener.NONE);
        assertEquals(policy.reason(), PatchOutcome.Result.COMMITTED, policy.result());
        long afterPolicySwap = loop.get().totals().readings();
        assertTrue(afterPolicySwap + " after, " + readingsBefore + " before", afterPolicySwap >= readingsBefore);

        PatchOutcome control = patches.apply(PatchbayTestConfiguration.patch("control-fix.dp"), PatchOptions.DEFAULT,
                ProgressListener.NONE);
        assertEquals(control.reason(), PatchOutcome.Result.COMMITTED, control.result());
        assertEquals(Strategy.HANDOVER, control.plan().strategy());
        Bundle provider = context.getServiceReference(ControlLoop.class).getBundle();
        assertEquals("1.0.1", provider.getVersion().toString());
        long afterLoopSwap = loop.get().totals().readings();
        // A loop that started from nothing would have counted about 15 readings in the health gate's second.
        assertTrue(afterLoopSwap + " after the loop's swap, " + afterPolicySwap + " before it",
                afterLoopSwap >= afterPolicySwap);
        Await.until("the new loop to count on", STARTUP, () -> loop.get().totals().readings() > afterLoopSwap ? true : null);
    }

    @Test
    public void aParticipantThatRefusesToHandOverRollsThePatchBackAndCarriesOn() throws Exception {
        awaitAppliance();
        assertHandoverFailureRollsBack(() -> {
            throw new IllegalStateException("simulated: the state cannot be written");
        }, "refused to hand over its state 'test.state': simulated: the state cannot be written");
    }

    @Test
    public void stateOfAClassOnlyTheOldVersionCanLoadRollsThePatchBack() throws Exception {
        awaitAppliance();
        // The policy object itself: a class of the bundle being replaced.
        HeatingPolicy policy = context.getService(context.getServiceReference(HeatingPolicy.class));
        assertHandoverFailureRollsBack(() -> Map.of("policy", policy),
                "value 'policy' is a io.patchbay.demo.policy.ThresholdPolicy, a class of the bundle being replaced");
    }

    @Test
    public void aRevisionKeptAliveByAThreadIsReportedWithThatThread() throws Exception {
        awaitAppliance();
        // A clean swap there and back leaves nothing behind.
        PatchOutcome fix = patches.apply(PatchbayTestConfiguration.patch("policy-fix.dp"), PatchOptions.DEFAULT,
                ProgressListener.NONE);
        assertEquals(fix.reason(), PatchOutcome.Result.COMMITTED, fix.result());
        PatchOutcome back = patches.rollback(0, PatchOptions.DEFAULT, ProgressListener.NONE);
        assertEquals(back.reason(), PatchOutcome.Result.COMMITTED, back.result());
        assertEquals(List.of(), patches.pinnedRevisions());

        PatchOutcome leaky = patches.apply(PatchbayTestConfiguration.patch("policy-leaky.dp"), PatchOptions.DEFAULT,
                ProgressListener.NONE);
        assertEquals(leaky.reason(), PatchOutcome.Result.COMMITTED, leaky.result());
        PatchOutcome away = patches.rollback(0, PatchOptions.DEFAULT, ProgressListener.NONE);
        assertEquals(away.reason(), PatchOutcome.Result.COMMITTED, away.result());

        List<PinnedRevision> pinned = patches.pinnedRevisions();
        assertEquals(pinned.toString(), 1, pinned.size());
        PinnedRevision revision = pinned.get(0);
        assertEquals(POLICY, revision.symbolicName());
        assertEquals("1.0.9", revision.version().toString());
        assertTrue(revision.retiredBy(), revision.retiredBy().contains("rollback to level 0"));
        assertTrue(revision.heldBy().toString(), revision.heldBy().stream()
                .anyMatch(h -> h.contains("thread 'patchbay-demo-leaky-worker'")));
    }

    @Test
    public void bundlesSwappedOutAreNotKeptInMemory() throws Exception {
        awaitAppliance();
        // Weak references only: the retired bundle objects must become unreachable. Declarative
        // Services asks the log service for loggers for each of them, which Felix Log would keep.
        List<WeakReference<Bundle>> retired = new ArrayList<>();
        retired.add(new WeakReference<>(installed(context, POLICY)));
        PatchOptions handover = PatchOptions.DEFAULT.withStrategy(Strategy.HANDOVER);
        PatchOutcome fix = patches.apply(PatchbayTestConfiguration.patch("policy-fix.dp"), handover,
                ProgressListener.NONE);
        assertEquals(fix.reason(), PatchOutcome.Result.COMMITTED, fix.result());
        retired.add(new WeakReference<>(installed(context, POLICY)));
        PatchOutcome back = patches.rollback(0, handover, ProgressListener.NONE);
        assertEquals(back.reason(), PatchOutcome.Result.COMMITTED, back.result());
        assertTrue("both retired bundle objects are distinct from the one now installed",
                retired.stream().noneMatch(r -> r.get() == installed(context, POLICY)));

        // The log service's history (a bounded list of recent entries) names the bundles that
        // logged or whose events were logged; push those entries out with as many of our own.
        ServiceReference<LoggerFactory> logs = context.getServiceReference(LoggerFactory.class);
        Logger logger = context.getService(logs).getLogger("io.patchbay.it.history-filler");
        int history = Integer.parseInt(Objects.requireNonNullElse(context.getProperty("org.apache.felix.log.maxSize"),
                "100"));
        for (int i = 0; i <= history; i++) {
            logger.warn("pushing older entries out of the log history");
        }
        context.ungetService(logs);

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (retired.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        List<String> alive = new ArrayList<>();
        retired.forEach(r -> {
            Bundle bundle = r.get();
            if (bundle != null) {
                alive.add(bundle.getSymbolicName() + " " + bundle.getVersion() + " (id " + bundle.getBundleId() + ")");
            }
        });
        assertEquals("retired bundle objects still reachable after full collections", List.of(), alive);
    }

    /**
     * Registers a handover participant on behalf of the policy bundle (so a policy swap asks it),
     * applies the policy fix, and checks the patch was rolled back with the participant told.
     */
    private void assertHandoverFailureRollsBack(StateSource state, String reason)
            throws Exception {
        Bundle policyBundle = FrameworkUtil.getBundle(context.getService(
                context.getServiceReference(HeatingPolicy.class)).getClass());
        AtomicBoolean abandoned = new AtomicBoolean();
        Dictionary<String, Object> properties = new Hashtable<>(Map.of(HandoverParticipant.KEY, "test.state"));
        ServiceRegistration<HandoverParticipant> registration = policyBundle.getBundleContext().registerService(
                HandoverParticipant.class, new HandoverParticipant() {
                    @Override
                    public Map<String, Object> handOverState() throws Exception {
                        return state.get();
                    }

                    @Override
                    public void handoverAbandoned() {
                        abandoned.set(true);
                    }
                }, properties);
        try {
            RuntimeState before = RuntimeState.of(context, scr);
            PatchOutcome outcome = patches.apply(PatchbayTestConfiguration.patch("policy-fix.dp"), PatchOptions.DEFAULT,
                    ProgressListener.NONE);
            assertEquals(outcome.reason(), PatchOutcome.Result.ROLLED_BACK, outcome.result());
            assertTrue(outcome.reason(), outcome.reason().contains(reason));
            assertEquals(0, patches.currentLevel().number());
            assertTrue("the participant was told to carry on", abandoned.get());
            assertEquals(RuntimeState.of(context, scr).differencesFrom(before), before, RuntimeState.of(context, scr));
        } finally {
            registration.unregister();
        }
    }

    /** What the test participant hands over, or throws. */
    @FunctionalInterface
    interface StateSource {
        Map<String, Object> get() throws Exception;
    }

    private void awaitAppliance() throws Exception {
        int port = port();
        Await.until("the appliance", STARTUP, () -> okOrNull(port, "/decide?celsius=5"));
    }
}
