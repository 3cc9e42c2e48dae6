package io.patchbay.engine.internal;

import io.patchbay.engine.internal.apply.BundleSwapper;
import io.patchbay.engine.internal.apply.HandoverSwapper;
import io.patchbay.engine.internal.apply.PatchCode;
import io.patchbay.engine.internal.apply.PatchCodeHungException;
import io.patchbay.engine.internal.apply.StateExchange;
import io.patchbay.engine.internal.apply.Swapper;
import io.patchbay.engine.internal.config.EngineConfig;
import io.patchbay.engine.internal.config.EngineFiles;
import io.patchbay.engine.internal.config.EngineLog;
import io.patchbay.engine.internal.config.EngineSettings;
import io.patchbay.engine.internal.config.Faults;
import io.patchbay.engine.internal.config.ManagedBundles;
import io.patchbay.engine.internal.health.HealthGate;
import io.patchbay.engine.internal.health.Snapshot;
import io.patchbay.engine.internal.leaks.RevisionWatch;
import io.patchbay.engine.internal.leaks.UninstalledBundleCleaner;
import io.patchbay.engine.internal.ledger.BundleStore;
import io.patchbay.engine.internal.ledger.Journal;
import io.patchbay.engine.internal.ledger.LevelDiff;
import io.patchbay.engine.internal.ledger.LevelState;
import io.patchbay.engine.internal.ledger.PatchLedger;
import io.patchbay.engine.internal.plan.Change;
import io.patchbay.engine.internal.plan.Planner;
import io.patchbay.engine.internal.plan.WouldBeResolver;
import io.patchbay.engine.internal.receive.PatchReader;
import io.patchbay.engine.internal.receive.ReceivedPatch;
import io.patchbay.engine.internal.receive.StrictZip;
import io.patchbay.engine.internal.verify.PatchRules;
import io.patchbay.engine.internal.verify.PatchVerifier;
import io.patchbay.engine.internal.verify.VerifiedPatch;
import io.patchbay.patch.HistoryEntry;
import io.patchbay.patch.InstalledPackage;
import io.patchbay.patch.PatchBusyException;
import io.patchbay.patch.PatchDescriptor;
import io.patchbay.patch.PatchException;
import io.patchbay.patch.PatchLevel;
import io.patchbay.patch.PatchManager;
import io.patchbay.patch.PatchOptions;
import io.patchbay.patch.PatchOutcome;
import io.patchbay.patch.PatchPlan;
import io.patchbay.patch.PinnedRevision;
import io.patchbay.patch.ProgressListener;
import io.patchbay.patch.Stage;
import io.patchbay.patch.Strategy;
import io.patchbay.patch.handover.StateHandover;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.jar.Manifest;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.resolver.Resolver;

/**
 * The patch pipeline: receive, verify, plan, apply, health, commit, and the rollback that
 * replaces commit when the health gate says no. One operation at a time; a second one is refused
 * at once rather than queued, so an operator never waits on something they cannot see.
 *
 * <p>Before the framework is touched, the intent (every change, with the digests of the jars to
 * restore) is on disk in the journal; a new level is committed by one LEVEL record; a crash in
 * between is undone at the next start ({@link EngineActivator}).
 */
@Component(service = PatchManager.class, immediate = true, configurationPid = "io.patchbay.engine")
@Designate(ocd = EngineConfig.class)
public class PatchManagerImpl implements PatchManager {

    static final String TOPIC_PREFIX = "patchbay/patch/";
    /** How long stopping the engine waits for a patch operation in progress. */
    static final long STOP_WAIT_SECONDS = 10;
    /**
     * Property of a service the engine registers once it left an operation to recovery because a
     * patch's code does not return; its value is that one line. The launcher looks for it when asked
     * to stop: the framework cannot stop that bundle, so waiting for it would be in vain.
     */
    static final String ABANDONED_PROPERTY = "patchbay.operation.abandoned";

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final EngineSettings settings;
    private final Journal journal;
    private final PatchLedger ledger;
    private final Planner planner;
    private final StateExchange states = new StateExchange();
    private final RevisionWatch leaks;
    private final ServiceRegistration<StateHandover> stateHandover;
    private final ReentrantLock operation = new ReentrantLock();
    private final PatchCode patchCode;
    /** Set, for good, when an operation was left to recovery at the next start: why. */
    private volatile String leftForRecovery;
    private volatile ServiceRegistration<Object> abandonedMarker;
    /**
     * Operation and subject of every refusal journaled since an operation was left to recovery: a
     * caller that tries again (the watched folder, every poll) adds no record after the first.
     */
    private final Set<String> refusedWhileLeft = ConcurrentHashMap.newKeySet();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin events;

    @Reference
    private UninstalledBundleCleaner cleaner;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger log;

    @Activate
    public PatchManagerImpl(BundleContext context, EngineConfig config, @Reference Resolver resolver,
            @Reference ServiceComponentRuntime scr) throws IOException {
        this.context = context;
        this.scr = scr;
        this.settings = EngineSettings.of(context, config);
        String failWrite = Faults.atStart().failWrite();
        this.journal = new Journal(EngineFiles.journal(settings.dataFolder()), failWrite);
        this.ledger = new PatchLedger(journal, new BundleStore(EngineFiles.store(settings.dataFolder()), failWrite));
        this.planner = new Planner(context, scr, new WouldBeResolver(resolver), ledger.store());
        this.leaks = new RevisionWatch(context);
        this.patchCode = new PatchCode(settings.activationMillis());
        this.stateHandover = context.registerService(StateHandover.class, states, null);
    }

    /**
     * Waits a while for an operation in progress to end (it holds the journal) before closing. One
     * that does not end in time is left open: the runtime stops anyway, and the next start
     * finishes or undoes it from the journal, as after a crash. Stopping never hangs on a patch.
     */
    @Deactivate
    void close() throws IOException, InterruptedException {
        stateHandover.unregister();
        ServiceRegistration<Object> marker = abandonedMarker;
        if (marker != null) {
            try {
                marker.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        if (!operation.tryLock(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            EngineLog.warnAtStop(log, "a patch operation was still running " + STOP_WAIT_SECONDS + " s after the runtime"
                    + " was asked to stop; the next start completes or undoes it");
            return;
        }
        try {
            journal.close();
        } finally {
            operation.unlock();
        }
    }

    @Override
    public PatchDescriptor verify(Path patch, PatchOptions options) throws PatchException {
        return guarded("verify", String.valueOf(patch.getFileName()), options.operator(), () -> {
            Timer timer = new Timer(ProgressListener.NONE);
            return verified(patch, options, timer).descriptor();
        });
    }

    @Override
    public PatchPlan simulate(Path patch, PatchOptions options, ProgressListener progress) throws PatchException {
        return guarded("simulate", String.valueOf(patch.getFileName()), options.operator(), () -> {
            Timer timer = new Timer(progress);
            return plan(verified(patch, options, timer), options, timer).plan();
        });
    }

    @Override
    public PatchOutcome apply(Path patch, PatchOptions options, ProgressListener progress) throws PatchException {
        return guarded("apply", String.valueOf(patch.getFileName()), options.operator(), () -> {
            Timer timer = new Timer(progress);
            Checked checked = verified(patch, options, timer);
            Planner.Planned planned = plan(checked, options, timer);
            if (options.dryRun()) {
                return new PatchOutcome(PatchOutcome.Result.DRY_RUN, ledger.current().number(),
                        "dry run: nothing was changed", planned.plan(), timer.timings());
            }
            for (byte[] jar : checked.patch().jars().values()) {
                ledger.store().put(jar);
            }
            PatchDescriptor d = checked.descriptor();
            Map<String, String> packages = new TreeMap<>(ledger.current().packages());
            packages.put(d.symbolicName(), d.version().toString());
            return carryOut("apply", d.displayName(), "apply " + d.displayName(), options.operator(), planned,
                    packages, ledger.current().number(), timer);
        });
    }

    @Override
    public PatchOutcome rollback(int level, PatchOptions options, ProgressListener progress) throws PatchException {
        return guarded("rollback", "level " + level, options.operator(), () -> rollbackTo(level, options, progress));
    }

    @Override
    public PatchOutcome rollbackToPrevious(PatchOptions options, ProgressListener progress) throws PatchException {
        // Refused before the operation starts, as there is nothing to journal: no level was named.
        PatchLevel current = currentLevel();
        if (current.previous() < 0) {
            throw new PatchException(Stage.RECEIVE, "the runtime is at level " + current.number()
                    + (current.number() == 0 ? "" : ", which has the bundles of level 0")
                    + "; there is nothing to roll back");
        }
        return rollback(current.previous(), options, progress);
    }

    private PatchOutcome rollbackTo(int level, PatchOptions options, ProgressListener progress) throws Exception {
        Timer timer = new Timer(progress);
        LevelState current = ledger.current();
        LevelState target = ledger.level(level).orElseThrow(() -> new PatchException(Stage.RECEIVE,
                "there is no level " + level + "; levels are 0 to " + current.number()));
        if (target.number() == current.number()) {
            throw new PatchException(Stage.RECEIVE, "the runtime is at level " + level + " already");
        }
        List<Change> changes = LevelDiff.toLevel(context, current, target);
        Optional<String> missing = LevelDiff.missingFromStore(changes, ledger.store());
        if (missing.isPresent()) {
            throw new PatchException(Stage.VERIFY, "cannot roll back to level " + level + ": the store has no jar of "
                    + missing.get());
        }
        if (changes.isEmpty()) {
            throw new PatchException(Stage.VERIFY, "level " + level + " has the same bundles as the runtime now");
        }
        Optional<String> damaged = LevelDiff.damagedInStore(changes, ledger.store());
        if (damaged.isPresent()) {
            throw new PatchException(Stage.VERIFY, "cannot roll back to level " + level + ": " + damaged.get()
                    + "; nothing was changed");
        }
        timer.done(Stage.VERIFY, "level " + level + " can be restored from the store (" + changes.size() + " change"
                + (changes.size() == 1 ? "" : "s") + ")");
        Map<String, Manifest> manifests = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change.kind() == Change.Kind.INSTALL || change.kind() == Change.Kind.UPDATE) {
                manifests.put(change.symbolicName(), StrictZip.manifestOf(ledger.store().read(change.toHash())));
            }
        }
        // No baselining on the way back: going back to an older API is what a rollback is for.
        Planner.Planned planned = planner.plan(null, changes, manifests, Map.of(), options.strategy());
        timer.done(Stage.PLAN, Planner.summary(planned.plan()));
        if (options.dryRun()) {
            return new PatchOutcome(PatchOutcome.Result.DRY_RUN, current.number(), "dry run: nothing was changed",
                    planned.plan(), timer.timings(), level);
        }
        // Rolling back from a restored level goes on to the level before the one restored, as an
        // undo does, instead of back to the level the rollback left.
        PatchOutcome outcome = carryOut("rollback", "level " + level, "rollback to level " + level,
                options.operator(), planned, target.packages(), target.previous(), timer);
        return new PatchOutcome(outcome.result(), outcome.level(), outcome.reason(), outcome.plan(), outcome.timings(),
                level);
    }

    /** Apply, health-check, then commit or roll back: the part of an operation that changes things. */
    private PatchOutcome carryOut(String operation, String subject, String description, String operator,
            Planner.Planned planned, Map<String, String> packagesAfter, int previousAfter, Timer timer)
            throws Exception {
        LevelState before = ledger.current();
        Snapshot snapshot = Snapshot.take(context, scr);
        List<String> shouldBeActive = ManagedBundles.active(context);
        List<Change> changes = planned.changes();
        String id = ledger.begin(operation, subject, operator, Change.encode(changes));
        pauseHook("begin");
        HealthGate gate = new HealthGate(context, scr, settings);
        List<Change> completed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        // An I/O error while carrying the changes out (a full disk): the operation could not be
        // done at all, which is not the health gate's verdict and is reported as itself.
        String writeFailure = null;
        Swapper swapper = planned.plan().strategy() == Strategy.HANDOVER
                ? new HandoverSwapper(context, ledger.store(), scr, states, leaks, settings, description, patchCode)
                : new BundleSwapper(context, ledger.store(), leaks, description, patchCode);
        gate.watch();
        try {
            List<String> startProblems = swapper.apply(changes, shouldBeActive, step -> journalStep(id, step), completed);
            timer.done(Stage.APPLY, Change.summary(changes));
            pauseHook("health");
            failures.addAll(gate.check(snapshot, startProblems, changes));
        } catch (PatchCodeHungException e) {
            // The framework holds that bundle until its code returns: nothing can be undone now.
            throw leaveToRecovery(id, e.getMessage(), before);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // Whatever went wrong once the framework was touched, the answer is the undo below.
            failures.add(operation + " failed: " + BundleSwapper.rootMessage(e));
            if (e instanceof IOException) {
                writeFailure = BundleSwapper.rootMessage(e);
            }
        } finally {
            gate.stopWatching();
        }
        if (failures.isEmpty()) {
            try {
                timer.done(Stage.HEALTH, "bundles and components active again, no framework errors, health checks pass");
                journalStep(id, "healthy");
                LevelState next = before.next(description, changes, packagesAfter, id, previousAfter);
                ledger.recordLevel(next);
                journalStep(id, "level-recorded");
                ledger.end(id, "committed", next.number(), description);
                timer.done(Stage.COMMIT, "level " + next.number());
                post(TOPIC_PREFIX + "COMMITTED", Map.of("subject", subject, "level", next.number()));
                leaks.check();
                return new PatchOutcome(PatchOutcome.Result.COMMITTED, next.number(), description, planned.plan(),
                        timer.timings());
            } catch (IOException e) {
                if (ledger.current().number() != before.number()) {
                    // The level is on disk: the patch is committed; only its END record is missing,
                    // which the next start adds.
                    throw e;
                }
                failures.add("cannot write the journal: " + e.getMessage());
            }
        }
        timer.done(writeFailure == null ? Stage.HEALTH : Stage.APPLY, "FAILED: " + String.join("; ", failures));
        String reason = failures.get(0) + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more)" : "");
        boolean interrupted = Thread.interrupted(); // the undo must run to its end
        List<String> undoProblems = swapper.undo(completed, shouldBeActive, step -> journalStep(id, "rollback: " + step));
        if (patchCode.anyHung()) {
            throw leaveToRecovery(id, reason + "; then " + String.join("; ", undoProblems), before);
        }
        String after = undoProblems.isEmpty() ? awaitSnapshot(snapshot) : String.join("; ", undoProblems);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        String outcomeReason = reason + (after == null ? "" : "; " + after);
        boolean complete = undoProblems.isEmpty();
        if (complete) {
            ledger.end(id, "rolled-back", before.number(), outcomeReason);
        } else {
            // No END: the operation stays open in the journal, so the next start restores the level.
            ledger.step(id, "undo incomplete: " + outcomeReason);
        }
        timer.done(Stage.ROLLBACK, after == null ? "back at level " + before.number() + ", exactly as before"
                : (complete ? "back at level " + before.number() + ", but " : "UNDO INCOMPLETE: ") + after);
        post(TOPIC_PREFIX + "ROLLED_BACK", Map.of("subject", subject, "level", before.number(), "reason", outcomeReason));
        if (!complete) {
            throw new PatchException(Stage.ROLLBACK, "the patch failed and could not be fully undone; restart the"
                    + " runtime to restore level " + before.number() + ": " + outcomeReason);
        }
        leaks.check();
        if (writeFailure != null) {
            throw new PatchException(Stage.APPLY, description + " could not be carried out and was undone; the"
                    + " runtime is at level " + before.number() + " as before: " + writeFailure
                    + (after == null ? "" : "; " + after));
        }
        return new PatchOutcome(PatchOutcome.Result.ROLLED_BACK, before.number(), outcomeReason, planned.plan(),
                timer.timings());
    }

    /**
     * A patch's code does not return, so the bundle it runs for cannot be changed: the operation
     * stays open in the journal (no END), which the next start undoes, and the engine refuses every
     * operation until then and says so. The launcher sees the marker and does not wait for the
     * framework to stop that bundle.
     */
    private PatchException leaveToRecovery(String id, String why, LevelState before) {
        String message = why + "; it cannot be undone while that code runs: restart the runtime, which returns it"
                + " to level " + before.number();
        leftForRecovery = message;
        try {
            ledger.step(id, "left to recovery at the next start: " + why);
        } catch (IOException e) {
            // The open operation is what recovery needs; this step only explains it.
        }
        try {
            abandonedMarker = context.registerService(Object.class, new Object(),
                    FrameworkUtil.asDictionary(Map.of(ABANDONED_PROPERTY, message)));
        } catch (IllegalStateException e) {
            // The engine is stopping already.
        }
        post(TOPIC_PREFIX + "ABANDONED", Map.of("reason", message, "level", before.number()));
        return new PatchException(Stage.APPLY, message);
    }

    /** Waits until the runtime looks exactly as in the snapshot; returns null, or what still differs. */
    private String awaitSnapshot(Snapshot snapshot) throws InterruptedException {
        long deadline = System.currentTimeMillis() + settings.activationMillis();
        List<String> differences = Snapshot.take(context, scr).differencesFrom(snapshot);
        while (!differences.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(25);
            differences = Snapshot.take(context, scr).differencesFrom(snapshot);
        }
        return differences.isEmpty() ? null : "after the rollback the runtime still differs: " + differences.get(0);
    }

    /** A verified patch and the changes it would make to this runtime. */
    private record Checked(VerifiedPatch patch, List<Change> changes) {
        PatchDescriptor descriptor() {
            return patch.descriptor();
        }
    }

    private Checked verified(Path patch, PatchOptions options, Timer timer) throws PatchException {
        ReceivedPatch received = new PatchReader(settings).read(patch);
        int entries = received.entries().size();
        timer.done(Stage.RECEIVE, entries + (entries == 1 ? " entry" : " entries") + ", sha256 "
                + received.sha256().substring(0, 12));
        VerifiedPatch verified = new PatchVerifier(settings).verify(received);
        List<Change> changes = PatchRules.changes(verified, options, ledger.current(), context);
        PatchDescriptor d = verified.descriptor();
        timer.done(Stage.VERIFY, d.displayName() + (d.isFixPack() ? " (fix pack for " + d.fixPackRange() + ")" : "")
                + ", " + d.bundles().size() + " bundle" + (d.bundles().size() == 1 ? "" : "s") + ", "
                + (d.signers().isEmpty() ? "unsigned" : "signed by " + String.join(", ", d.signers())));
        return new Checked(verified, changes);
    }

    private Planner.Planned plan(Checked checked, PatchOptions options, Timer timer) throws PatchException {
        VerifiedPatch verified = checked.patch();
        Planner.Planned planned = planner.plan(verified.descriptor(), checked.changes(), verified.manifests(),
                verified.jars(), options.strategy());
        timer.done(Stage.PLAN, Planner.summary(planned.plan()));
        return planned;
    }

    private interface Operation<T> {
        T run() throws Exception;
    }

    /** Serializes operations, journals refusals, and turns unexpected failures into one-line errors. */
    private <T> T guarded(String operationName, String subject, String operator, Operation<T> body)
            throws PatchException {
        String abandoned = leftForRecovery;
        if (abandoned != null) {
            String message = "refused until the runtime is restarted: an earlier operation was left to recovery: "
                    + abandoned;
            if (refusedWhileLeft.add(operationName + " " + subject)) {
                ledger.recordRefusal(operationName, subject, operator, message);
            }
            throw new PatchBusyException(message);
        }
        if (!operation.tryLock()) {
            throw refusedBusy(operationName, subject, operator);
        }
        try {
            return body.run();
        } catch (PatchException e) {
            ledger.recordRefusal(operationName, subject, operator, e.getMessage());
            post(TOPIC_PREFIX + "REFUSED", Map.of("subject", subject, "stage", e.stage().name(), "reason", e.getMessage()));
            throw e;
        } catch (Exception e) {
            String message = operationName + " failed: " + BundleSwapper.rootMessage(e);
            ledger.recordRefusal(operationName, subject, operator, message);
            throw new PatchException(Stage.APPLY, message, e);
        } finally {
            operation.unlock();
        }
    }

    private PatchException refusedBusy(String operation, String subject, String operator) {
        String message = "another patch operation is in progress; try again when it has finished";
        ledger.recordRefusal(operation, subject, operator, message);
        return new PatchBusyException(message);
    }

    private void journalStep(String id, String step) throws IOException {
        ledger.step(id, step);
        pauseHook(step);
    }

    /** The crash tests' pause point; the marker goes to the operation's output, the console that asked. */
    private void pauseHook(String step) {
        Faults.atStart().pauseIfAsked(step, System.out);
    }

    /**
     * Posts on Event Admin, asynchronously: {@code patchbay/patch/<STAGE>} as each stage completes,
     * then {@code patchbay/patch/COMMITTED}, {@code ROLLED_BACK}, {@code REFUSED} or, when a patch's
     * code does not return, {@code ABANDONED}.
     */
    private void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = events;
        if (admin != null) {
            admin.postEvent(new Event(topic, new HashMap<>(properties)));
        }
    }

    @Override
    public PatchLevel currentLevel() {
        return PatchLedger.toApi(ledger.current());
    }

    @Override
    public List<PatchLevel> levels() {
        return ledger.levels().stream().map(PatchLedger::toApi).toList();
    }

    @Override
    public List<HistoryEntry> history() {
        return ledger.history();
    }

    @Override
    public List<InstalledPackage> installedPackages() {
        List<InstalledPackage> installed = new ArrayList<>();
        LevelState current = ledger.current();
        // The journal is read from disk: once for all packages.
        List<LevelState> levels = current.packages().isEmpty() ? List.of() : ledger.levels();
        for (Map.Entry<String, String> entry : new TreeMap<>(current.packages()).entrySet()) {
            int since = 0;
            for (LevelState level : levels) {
                if (entry.getValue().equals(level.packages().get(entry.getKey()))) {
                    since = level.number();
                    break;
                }
            }
            installed.add(new InstalledPackage(entry.getKey(), Version.parseVersion(entry.getValue()), since));
        }
        return installed;
    }

    @Override
    public List<PinnedRevision> pinnedRevisions() {
        return leaks.lastFound();
    }

    @Override
    public String uninstalledBundleCleaner() {
        return cleaner.describe();
    }

    @Override
    public boolean busy() {
        return operation.isLocked() || leftForRecovery != null;
    }

    /** Times stages, tells the listener as each completes, and posts it as an event. */
    private final class Timer {
        private final ProgressListener listener;
        private final Map<Stage, Duration> timings = Collections.synchronizedMap(new EnumMap<>(Stage.class));
        private long last = System.nanoTime();

        Timer(ProgressListener listener) {
            this.listener = listener;
        }

        void done(Stage stage, String summary) {
            long now = System.nanoTime();
            Duration took = Duration.ofNanos(now - last);
            last = now;
            timings.put(stage, took);
            post(TOPIC_PREFIX + stage.name(), Map.of("summary", summary, "millis", took.toMillis()));
            try {
                listener.stageCompleted(stage, took, summary);
            } catch (RuntimeException e) {
                // A listener's failure must not change the outcome of a patch.
            }
        }

        Map<Stage, Duration> timings() {
            return timings;
        }
    }
}
