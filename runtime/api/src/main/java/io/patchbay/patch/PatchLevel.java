package io.patchbay.patch;

import java.time.Instant;
import java.util.Map;

/**
 * A committed state of the runtime. Level 0 is the initial bundle set; each committed patch or
 * rollback adds one.
 *
 * @param number      the level
 * @param description what made it ("initial", "apply io.patchbay.demo.policy-fix 1.0.0", "rollback to 0")
 * @param committedAt when it was committed
 * @param bundles     symbolic name to version of every bundle Patchbay manages at this level
 * @param previous    the level a rollback without a level number restores from this one, or -1 for none:
 *                    the level before it for an apply; for a level made by a rollback, the previous
 *                    level of the level it restored, so that rolling back twice goes back two patches
 */
public record PatchLevel(int number, String description, Instant committedAt, Map<String, String> bundles,
        int previous) {

    public PatchLevel {
        bundles = Map.copyOf(bundles);
    }

    /** A level whose previous level is the one numbered before it (-1 for level 0). */
    public PatchLevel(int number, String description, Instant committedAt, Map<String, String> bundles) {
        this(number, description, committedAt, bundles, number - 1);
    }
}
