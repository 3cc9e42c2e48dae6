package io.patchbay.engine.internal.ledger;

import io.patchbay.engine.internal.config.ManagedBundles;
import io.patchbay.engine.internal.plan.Change;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The changes that bring bundles from what the framework holds now to what a level recorded:
 * used to roll back to a level, and to recover after a crash. Only the bundles named are
 * looked at, so a bundle Patchbay never touched (installed by other means) is left alone. A
 * bundle counts as matching when its version matches, since a patch may not change a jar without
 * changing its version.
 */
public final class LevelDiff {

    private LevelDiff() {
    }

    /** Rollback: the bundles whose records differ between the current level and the target. */
    public static List<Change> toLevel(BundleContext context, LevelState current, LevelState target) {
        Set<String> differing = new TreeSet<>();
        Set<String> names = new TreeSet<>(current.bundles().keySet());
        names.addAll(target.bundles().keySet());
        for (String bsn : names) {
            if (!Objects.equals(current.bundles().get(bsn), target.bundles().get(bsn))) {
                differing.add(bsn);
            }
        }
        return restore(context, current, target, differing);
    }

    /**
     * @param current the level whose records give the digests of what is installed now
     * @param target  the level to restore
     * @param names   the bundles to bring in line with the target
     */
    public static List<Change> restore(BundleContext context, LevelState current, LevelState target, Collection<String> names) {
        List<Change> changes = new ArrayList<>();
        for (String bsn : new TreeSet<>(names)) {
            LevelState.BundleRecord wanted = target.bundles().get(bsn);
            Optional<Bundle> installed = ManagedBundles.find(context, bsn);
            if (installed.isEmpty()) {
                if (wanted != null) {
                    changes.add(new Change(bsn, Change.Kind.INSTALL, wanted.location(), "", "", wanted.version(),
                            wanted.hash()));
                }
                continue;
            }
            Bundle bundle = installed.get();
            String version = bundle.getVersion().toString();
            LevelState.BundleRecord now = current.bundles().get(bsn);
            String nowHash = now != null && now.version().equals(version) ? now.hash() : "";
            if (wanted == null) {
                changes.add(new Change(bsn, Change.Kind.UNINSTALL, bundle.getLocation(), version, nowHash, "", ""));
            } else if (!wanted.version().equals(version)) {
                // Where the level had it: an update in place keeps the bundle's location, a handover uses this one.
                changes.add(new Change(bsn, Change.Kind.UPDATE, bundle.getLocation(), version, nowHash, wanted.version(),
                        wanted.hash(), wanted.location()));
            }
        }
        return changes;
    }

    /** @return the first bundle whose jar the store lacks, if any */
    public static Optional<String> missingFromStore(List<Change> changes, BundleStore store) {
        for (Change change : changes) {
            if (takesJar(change) && !store.contains(change.toHash())) {
                return Optional.of(change.symbolicName() + " " + change.toVersion());
            }
        }
        return Optional.empty();
    }

    /**
     * @return the first jar these changes would take from the store whose bytes no longer have
     *         the digest they are stored under, named in one line; checked before the framework is
     *         touched, so that a damaged jar refuses the operation instead of breaking it half-way
     */
    public static Optional<String> damagedInStore(List<Change> changes, BundleStore store) throws IOException {
        for (Change change : changes) {
            Optional<String> damage = takesJar(change) ? store.damage(change.toHash()) : Optional.empty();
            if (damage.isPresent()) {
                return Optional.of("the stored jar sha256 " + change.toHash() + " for " + change.symbolicName() + " "
                        + change.toVersion() + " is damaged (" + damage.get() + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean takesJar(Change change) {
        return change.kind() == Change.Kind.INSTALL || change.kind() == Change.Kind.UPDATE;
    }
}
