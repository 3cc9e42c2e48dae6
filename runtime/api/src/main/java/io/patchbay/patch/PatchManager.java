package io.patchbay.patch;

import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Verifies, simulates, applies and rolls back patches on the running framework.
 *
 * <p>Every operation is serialized: while one runs, another fails at once with
 * {@link PatchException} of stage {@link Stage#RECEIVE} saying so. A refused operation leaves the
 * runtime exactly as it was. Every operation that changes bundles is journalled before it
 * starts, so a crash at any point is undone at the next start.
 */
@ProviderType
public interface PatchManager {

    /** Reads and verifies a patch (signature, digests, manifests, version rules); changes nothing. */
    PatchDescriptor verify(Path patch, PatchOptions options) throws PatchException;

    /** Verifies and plans a patch: what would change, be refreshed and restarted; changes nothing. */
    PatchPlan simulate(Path patch, PatchOptions options, ProgressListener progress) throws PatchException;

    /**
     * Verifies, plans and applies a patch, then health-checks the result: commits a new patch
     * level, or rolls back to the exact previous state and says why.
     *
     * @throws PatchException when the patch is refused before anything changed
     */
    PatchOutcome apply(Path patch, PatchOptions options, ProgressListener progress) throws PatchException;

    /**
     * Restores the bundle set of an earlier patch level, as a new level; health-gated like a patch.
     * With {@link PatchOptions#dryRun()} it stops after the plan.
     */
    PatchOutcome rollback(int level, PatchOptions options, ProgressListener progress) throws PatchException;

    /**
     * As {@link #rollback(int, PatchOptions, ProgressListener)} to the current level's
     * {@link PatchLevel#previous() previous} level, so that rolling back twice goes back two patches.
     *
     * @throws PatchException of stage {@link Stage#RECEIVE} when the current level has no previous
     *         level, saying there is nothing to roll back; nothing is changed or journalled
     */
    PatchOutcome rollbackToPrevious(PatchOptions options, ProgressListener progress) throws PatchException;

    /** @return the current patch level (level 0 is the initial bundle set) */
    PatchLevel currentLevel();

    /** @return every committed level, oldest first */
    List<PatchLevel> levels();

    /** @return the journal's records of operations and outcomes, oldest first */
    List<HistoryEntry> history();

    /** @return the deployment packages installed at the current level */
    List<InstalledPackage> installedPackages();

    /**
     * What the leak check after the latest swap found: each revision an earlier swap retired that
     * was still reachable after garbage collections, or still kept by the framework for a bundle
     * wired to it. Every apply and rollback that changed bundles runs that check before it returns;
     * this method only reads its result, so it returns at once, never asks for a collection and
     * never waits for an operation.
     *
     * @return the retired revisions still in memory; empty when there is no leak
     */
    List<PinnedRevision> pinnedRevisions();

    /**
     * @return true while an operation runs, and from the moment one had to be left to recovery at
     *         the next start (a patch's code does not return) until the runtime restarts; operations
     *         are refused while it is true
     */
    boolean busy();

    /**
     * Whether the engine makes the framework and the log service forget uninstalled bundles, a
     * workaround that reaches into their private tables and so is active only for the versions it
     * was checked against.
     *
     * @return one line naming the framework and log versions in use, for each whether it is
     *         active, and the version ranges it was checked against
     * @since 2.0
     */
    String uninstalledBundleCleaner();
}
