package io.patchbay.engine.internal.apply;

import io.patchbay.engine.internal.config.ManagedBundles;
import io.patchbay.engine.internal.leaks.RevisionWatch;
import io.patchbay.engine.internal.ledger.BundleStore;
import io.patchbay.engine.internal.ledger.LevelDiff;
import io.patchbay.engine.internal.plan.Change;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * Strategy {@code refresh}: carries out a list of changes on the framework, each jar taken from
 * the store. Updates and uninstalls happen first, then one refresh of exactly the bundles touched
 * (the framework refreshes their dependency closure, and the engine is never in it), waited for,
 * then every bundle that should be active is started. Each step is reported before the next one
 * begins, so the journal shows how far an operation got.
 */
public final class BundleSwapper implements Swapper {

    private final BundleContext context;
    private final BundleStore store;
    private final RevisionWatch leaks;
    private final String retiredBy;
    private final PatchCode patchCode;

    /**
     * @param leaks     told of every revision replaced or removed, or null (recovery at start)
     * @param retiredBy what the operation is, for the leak report
     * @param patchCode bounds every start, stop, update and uninstall, which run the bundles' code
     */
    public BundleSwapper(BundleContext context, BundleStore store, RevisionWatch leaks, String retiredBy, PatchCode patchCode) {
        this.context = context;
        this.store = store;
        this.leaks = leaks;
        this.retiredBy = retiredBy;
        this.patchCode = patchCode;
    }

    @Override
    public List<String> apply(List<Change> changes, Collection<String> shouldBeActive, Steps steps, List<Change> completed)
            throws Exception {
        List<Bundle> touched = new ArrayList<>();
        List<Bundle> installed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Change change : changes) {
            switch (change.kind()) {
                case UPDATE -> {
                    Bundle bundle = require(change.symbolicName());
                    retiring(bundle);
                    try {
                        BundleCacheWrite.fromStore(context, store, change.toHash(),
                                change.symbolicName() + " " + change.toVersion(), jar -> {
                                    patchCode.call(bundle, "updating", () -> bundle.update(jar));
                                    return bundle;
                                });
                    } catch (BundleException e) {
                        // The jar is in; only restarting the updated bundle failed. That is for the
                        // health gate to judge, after the rest of the change.
                        if (e.getType() != BundleException.ACTIVATOR_ERROR) {
                            throw e;
                        }
                        problems.add(change.symbolicName() + " did not start: " + rootMessage(e));
                    }
                    completed.add(change);
                    touched.add(bundle);
                    steps.step("updated " + change.symbolicName() + " to " + change.toVersion());
                }
                case INSTALL -> {
                    Bundle bundle = BundleCacheWrite.fromStore(context, store, change.toHash(),
                            change.symbolicName() + " " + change.toVersion(),
                            jar -> context.installBundle(change.location(), jar));
                    completed.add(change);
                    installed.add(bundle);
                    steps.step("installed " + change.symbolicName() + " " + change.toVersion());
                }
                case UNINSTALL -> {
                    Bundle bundle = require(change.symbolicName());
                    retiring(bundle);
                    patchCode.call(bundle, "uninstalling", bundle::uninstall);
                    completed.add(change);
                    touched.add(bundle);
                    steps.step("uninstalled " + change.symbolicName());
                }
                case UNCHANGED -> { }
            }
        }
        if (!touched.isEmpty()) {
            patchCode.refresh(context, touched);
            steps.step("refreshed");
        }
        List<String> toStart = new ArrayList<>(shouldBeActive);
        installed.forEach(b -> toStart.add(b.getSymbolicName()));
        for (String symbolicName : toStart) {
            Optional<Bundle> bundle = ManagedBundles.find(context, symbolicName);
            if (bundle.isEmpty() || bundle.get().getHeaders("").get(Constants.FRAGMENT_HOST) != null
                    || bundle.get().getState() == Bundle.ACTIVE) {
                continue;
            }
            try {
                patchCode.call(bundle.get(), "starting", bundle.get()::start);
            } catch (BundleException | IllegalStateException e) {
                String problem = symbolicName + " did not start: " + rootMessage(e);
                if (!problems.contains(problem)) {
                    problems.add(problem);
                }
            }
        }
        steps.step("started");
        return problems;
    }

    /**
     * Undoes changes that were carried out, newest first, as far as it can: a step that fails is
     * reported and the rest still run, then everything touched is refreshed and what should run
     * is started. Once a patch's code is known not to return, the refresh and the starts are left
     * out: the framework holds that bundle, so they would only wait for it; recovery at the next
     * start does them.
     */
    @Override
    public List<String> undo(List<Change> completed, Collection<String> shouldBeActive, Steps steps) {
        List<String> problems = new ArrayList<>();
        List<Bundle> touched = new ArrayList<>();
        for (int i = completed.size() - 1; i >= 0; i--) {
            Change undo = completed.get(i).inverse();
            try {
                switch (undo.kind()) {
                    case UPDATE -> {
                        Bundle bundle = require(undo.symbolicName());
                        requireIntact(undo);
                        retiring(bundle);
                        try (InputStream jar = store.open(undo.toHash())) {
                            patchCode.call(bundle, "updating", () -> bundle.update(jar));
                        } catch (BundleException e) {
                            if (e.getType() != BundleException.ACTIVATOR_ERROR) {
                                throw e;
                            }
                        }
                        touched.add(bundle);
                    }
                    case INSTALL -> {
                        requireIntact(undo);
                        try (InputStream jar = store.open(undo.toHash())) {
                            context.installBundle(undo.location(), jar);
                        }
                    }
                    case UNINSTALL -> {
                        Bundle bundle = require(undo.symbolicName());
                        patchCode.call(bundle, "uninstalling", bundle::uninstall);
                        touched.add(bundle);
                    }
                    case UNCHANGED -> { }
                }
                steps.step(switch (undo.kind()) {
                    case UPDATE -> "updated " + undo.symbolicName() + " to " + undo.toVersion();
                    case INSTALL -> "installed " + undo.symbolicName() + " " + undo.toVersion();
                    case UNINSTALL -> "uninstalled " + undo.symbolicName();
                    case UNCHANGED -> "unchanged " + undo.symbolicName();
                });
            } catch (Exception e) {
                problems.add("could not undo " + undo.symbolicName() + ": " + rootMessage(e));
            }
        }
        if (patchCode.anyHung()) {
            return problems;
        }
        try {
            if (!touched.isEmpty()) {
                patchCode.refresh(context, touched);
                steps.step("refreshed");
            }
        } catch (Exception e) {
            problems.add("refresh after the undo failed: " + rootMessage(e));
        }
        for (String symbolicName : shouldBeActive) {
            Optional<Bundle> bundle = ManagedBundles.find(context, symbolicName);
            if (bundle.isPresent() && bundle.get().getState() != Bundle.ACTIVE
                    && bundle.get().getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
                try {
                    patchCode.call(bundle.get(), "starting", bundle.get()::start);
                } catch (BundleException | IllegalStateException | PatchCodeHungException e) {
                    problems.add(symbolicName + " did not start again: " + rootMessage(e));
                }
            }
        }
        return problems;
    }

    /**
     * An undo takes jars from the store that no check before the operation looked at; a damaged one
     * is named here, before the framework fails on it with a zip error that names nothing.
     */
    private void requireIntact(Change change) throws IOException {
        Optional<String> damaged = LevelDiff.damagedInStore(List.of(change), store);
        if (damaged.isPresent()) {
            throw new IOException(damaged.get());
        }
    }

    private void retiring(Bundle bundle) {
        if (leaks != null) {
            leaks.retiring(bundle, retiredBy);
        }
    }

    /** Refreshes exactly these bundles and waits, looking for no stuck bundle (recovery at start). */
    public static void refresh(BundleContext context, Collection<Bundle> bundles) throws Exception {
        new PatchCode(0).refresh(context, bundles);
    }

    private Bundle require(String symbolicName) {
        return ManagedBundles.find(context, symbolicName)
                .orElseThrow(() -> new IllegalStateException(symbolicName + " is not installed"));
    }

    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root == null ? null : root.getMessage();
        return message == null ? String.valueOf(root) : message;
    }
}
