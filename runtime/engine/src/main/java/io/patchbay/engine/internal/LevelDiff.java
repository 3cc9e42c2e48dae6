package io.patchbay.engine.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The changes that bring the managed bundles from what the framework holds now to what a level
 * recorded: used to roll back to a level, and to recover after a crash. A bundle counts as
 * unchanged when its version matches, since a patch may not change a jar without changing its
 * version.
 */
final class LevelDiff {

    private LevelDiff() {
    }

    static List<Change> toLevel(BundleContext context, LevelState current, LevelState target) {
        List<Change> changes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Bundle bundle : ManagedBundles.all(context)) {
            String bsn = bundle.getSymbolicName();
            seen.add(bsn);
            LevelState.BundleRecord now = current.bundles().get(bsn);
            String nowHash = now != null && now.version().equals(bundle.getVersion().toString()) ? now.hash() : "";
            LevelState.BundleRecord wanted = target.bundles().get(bsn);
            if (wanted == null) {
                changes.add(new Change(bsn, Change.Kind.UNINSTALL, bundle.getLocation(), bundle.getVersion().toString(),
                        nowHash, "", ""));
            } else if (!wanted.version().equals(bundle.getVersion().toString())) {
                changes.add(new Change(bsn, Change.Kind.UPDATE, bundle.getLocation(), bundle.getVersion().toString(),
                        nowHash, wanted.version(), wanted.hash()));
            }
        }
        for (Map.Entry<String, LevelState.BundleRecord> entry : target.bundles().entrySet()) {
            if (!seen.contains(entry.getKey())) {
                LevelState.BundleRecord wanted = entry.getValue();
                changes.add(new Change(entry.getKey(), Change.Kind.INSTALL, wanted.location(), "", "", wanted.version(),
                        wanted.hash()));
            }
        }
        return changes;
    }

    /** @return the first bundle whose jar the store lacks, if any */
    static Optional<String> missingFromStore(List<Change> changes, BundleStore store) {
        for (Change change : changes) {
            if ((change.kind() == Change.Kind.INSTALL || change.kind() == Change.Kind.UPDATE)
                    && !store.contains(change.toHash())) {
                return Optional.of(change.symbolicName() + " " + change.toVersion());
            }
        }
        return Optional.empty();
    }
}
