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

    /** @return the current patch level (level 0 is the initial bundle set) */
    PatchLevel currentLevel();

    /** @return every committed level, oldest first */
    List<PatchLevel> levels();

    /** @return the journal's records of operations and outcomes, oldest first */
    List<HistoryEntry> history();

    /** @return the deployment packages installed at the current level */
    List<InstalledPackage> installedPackages();

    /**
     * Checks that the revisions earlier swaps retired are gone from memory: asks for a garbage
     * collection (so it takes up to a second) and reports each one still reachable or still
     * kept by the framework for a bundle wired to it.
     *
     * @return the retired revisions still in memory; empty when there is no leak
     */
    List<PinnedRevision> pinnedRevisions();
}
