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
 */
public record PatchLevel(int number, String description, Instant committedAt, Map<String, String> bundles) {

    public PatchLevel {
        bundles = Map.copyOf(bundles);
    }
}
