package io.patchbay.engine.internal;

import io.patchbay.engine.internal.apply.BundleSwapper;
import io.patchbay.engine.internal.apply.PatchCode;
import io.patchbay.engine.internal.config.EngineFiles;
import io.patchbay.engine.internal.config.Faults;
import io.patchbay.engine.internal.config.ManagedBundles;
import io.patchbay.engine.internal.ledger.BundleStore;
import io.patchbay.engine.internal.ledger.Journal;
import io.patchbay.engine.internal.ledger.LevelDiff;
import io.patchbay.engine.internal.ledger.LevelState;
import io.patchbay.engine.internal.ledger.PatchLedger;
import io.patchbay.engine.internal.plan.Change;
import io.patchbay.engine.internal.receive.StrictZip;
import io.patchbay.engine.internal.verify.PatchVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Runs before anything else of the engine, synchronously in the framework's start-level thread
 * at start level 1, so before any application bundle (level 2) starts:
 * <ol>
 * <li>on the very first start, records level 0: every managed bundle, with its jar copied into
 *     the store from the distribution it was installed from;</li>
 * <li>when the journal holds an operation that began and never ended (the JVM died during a
 *     patch or a rollback), brings the framework back to the last committed level and records
 *     how the operation ended;</li>
 * <li>when the operator repaired a damaged journal ({@code patchbay journal repair}), brings
 *     every bundle the kept level records, and every bundle a patch installed, back to that
 *     level, as an operation of its own, so that a crash in the middle is recovered as above.</li>
 * </ol>
 * The engine's services start only after this, through Declarative Services. What recovery did is
 * printed at start, where the operator and the process tests read it, and is also an entry of the
 * runtime's log ({@link ActivatorLog}).
 */
public final class EngineActivator implements BundleActivator {

    private ActivatorLog log;

    @Override
    public void start(BundleContext context) throws Exception {
        Faults.readAtStart(context, System.err);
        log = new ActivatorLog(context);
        log.open();
        Path data = EngineFiles.dataFolder(context);
        if (data == null) {
            return;
        }
        Journal journal = new Journal(EngineFiles.journal(data));
        try {
            PatchLedger ledger = new PatchLedger(journal, new BundleStore(EngineFiles.store(data)));
            if (!ledger.hasLevels()) {
                ledger.recordLevel(levelZero(context, ledger.store(), EngineFiles.home(context)));
            }
            // Read before recovery writes its outcome, so that the repair still counts as pending.
            Optional<Journal.Entry> repaired = ledger.repairPending();
            recover(context, ledger, log);
            if (repaired.isPresent()) {
                beginRestoreAfterRepair(context, ledger, repaired.get());
                recover(context, ledger, log);
            }
        } finally {
            journal.close();
        }
    }

    @Override
    public void stop(BundleContext context) {
        // The engine component closes its own journal.
        log.close();
    }

    static void recover(BundleContext context, PatchLedger ledger, ActivatorLog log) throws Exception {
        Optional<Journal.Entry> unfinished = ledger.unfinished();
        if (unfinished.isEmpty()) {
            return;
        }
        Journal.Entry intent = unfinished.get();
        String id = intent.get("id");
        LevelState target = ledger.current();
        boolean committed = target.operation().equals(id);
        List<String> touched = Change.decode(intent.get("changes")).stream().map(Change::symbolicName).toList();
        List<Change> changes = LevelDiff.restore(context, target, target, touched);
        Optional<String> missing = LevelDiff.missingFromStore(changes, ledger.store());
        if (missing.isPresent()) {
            ledger.end(id, "failed", target.number(), "recovery could not restore level " + target.number() + ": the"
                    + " store lacks " + missing.get());
            log.error("recovery could not restore level " + target.number() + ": the store lacks " + missing.get());
            return;
        }
        // Application bundles are not started yet at this start level; the framework starts the
        // persistently started ones when it reaches their level.
        removeSecondVersions(context, target, touched);
        // Unbounded: at start level 1 no application bundle runs, so no patch code is called.
        new BundleSwapper(context, ledger.store(), null, "recovery", new PatchCode(0)).apply(changes, List.of(), step -> {
            ledger.step(id, "recovery: " + step);
            Faults.atStart().pauseIfAsked("recovery: " + step, System.out);
        }, new ArrayList<>());
        if (intent.get("op").equals(PatchLedger.REPAIR)) {
            ledger.end(id, "recovered", target.number(), "the bundles were brought back to level " + target.number()
                    + ", the last level the repaired journal keeps");
            log.info("the journal was repaired; the bundles were brought back to level " + target.number()
                    + ", the last level it keeps.");
            return;
        }
        String how = committed ? "committed" : "rolled back";
        ledger.end(id, committed ? "committed" : "recovered", target.number(),
                "the runtime stopped during this " + intent.get("op") + "; recovered at start: " + how + ", level "
                        + target.number());
        log.info("an interrupted " + intent.get("op") + " of " + intent.get("subject") + " was " + how
                + " at start; the runtime is at level " + target.number() + ".");
    }

    /**
     * Records the intent to bring back the kept level: the records the repair dropped may have
     * changed any bundle of that level, or installed new ones (a patch installs at a
     * {@code patchbay:} location), so the intent names all of those; bundles installed by other
     * means are left alone, as everywhere.
     */
    static void beginRestoreAfterRepair(BundleContext context, PatchLedger ledger, Journal.Entry repaired)
            throws IOException {
        Set<String> names = new TreeSet<>(ledger.current().bundles().keySet());
        for (Bundle bundle : ManagedBundles.all(context)) {
            if (bundle.getLocation().startsWith("patchbay:")) {
                names.add(bundle.getSymbolicName());
            }
        }
        List<Change> every = names.stream()
                .map(bsn -> new Change(bsn, Change.Kind.UNCHANGED, "", "", "", "", "")).toList();
        ledger.begin(PatchLedger.REPAIR, "journal.log from line " + repaired.get("line") + " (kept as "
                + repaired.get("backup") + ")", "launcher", Change.encode(every));
    }

    /**
     * A handover installs a bundle's new version beside the old one; if the JVM died in between,
     * both are installed. Keeps the one the level records (or the first) and uninstalls the other.
     */
    static void removeSecondVersions(BundleContext context, LevelState level, List<String> names) throws Exception {
        List<Bundle> extra = new ArrayList<>();
        for (String name : names) {
            List<Bundle> versions = ManagedBundles.findAll(context, name);
            if (versions.size() < 2) {
                continue;
            }
            LevelState.BundleRecord wanted = level.bundles().get(name);
            Bundle keep = versions.stream()
                    .filter(b -> wanted != null && b.getVersion().toString().equals(wanted.version()))
                    .findFirst().orElse(versions.get(0));
            for (Bundle bundle : versions) {
                if (bundle != keep) {
                    bundle.uninstall();
                    extra.add(bundle);
                }
            }
        }
        if (!extra.isEmpty()) {
            BundleSwapper.refresh(context, extra);
        }
    }

    /** Level 0: the managed bundles as first provisioned, their jars taken from the distribution. */
    static LevelState levelZero(BundleContext context, BundleStore store, Path home) throws IOException {
        Map<String, byte[]> distribution = distributionJars(home);
        Map<String, LevelState.BundleRecord> bundles = new TreeMap<>();
        for (Bundle bundle : ManagedBundles.all(context)) {
            String key = bundle.getSymbolicName() + "@" + bundle.getVersion();
            byte[] jar = distribution.get(key);
            String hash = jar == null ? "" : store.put(jar);
            bundles.put(bundle.getSymbolicName(), new LevelState.BundleRecord(bundle.getVersion().toString(), hash,
                    bundle.getLocation()));
        }
        return new LevelState(0, "initial bundle set", Instant.now(), bundles, Map.of(), "");
    }

    private static Map<String, byte[]> distributionJars(Path home) throws IOException {
        Map<String, byte[]> jars = new HashMap<>();
        if (home == null || !Files.isDirectory(home.resolve("bundles"))) {
            return jars;
        }
        try (Stream<Path> files = Files.walk(home.resolve("bundles"), 2)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                Manifest manifest = StrictZip.manifestOf(bytes);
                if (manifest != null && PatchVerifier.symbolicNameOf(manifest) != null) {
                    String version = org.osgi.framework.Version.parseVersion(
                            manifest.getMainAttributes().getValue("Bundle-Version")).toString();
                    jars.put(PatchVerifier.symbolicNameOf(manifest) + "@" + version, bytes);
                }
            }
        }
        return jars;
    }
}
