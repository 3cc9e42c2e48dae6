package io.patchbay.engine.internal.ledger;

import io.patchbay.engine.internal.plan.Change;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A committed patch level as the journal keeps it: every managed bundle's version and jar
 * digest (so it can be restored from the store), and the deployment packages installed.
 *
 * @param number      the level
 * @param description what made it
 * @param committedAt when
 * @param bundles     symbolic name to what was installed
 * @param packages    deployment package name to its version
 * @param operation   id of the operation that committed it (empty for level 0)
 * @param previous    the level a rollback without a level number restores from this one (-1: none);
 *                    see {@link io.patchbay.patch.PatchLevel#previous()}
 */
public record LevelState(int number, String description, Instant committedAt, Map<String, BundleRecord> bundles,
        Map<String, String> packages, String operation, int previous) {

    /**
     * One bundle at a level.
     *
     * @param version  its version
     * @param hash     digest of its jar in the store (empty if unknown)
     * @param location its bundle location
     */
    public record BundleRecord(String version, String hash, String location) {
    }

    public LevelState {
        bundles = Map.copyOf(bundles);
        packages = Map.copyOf(packages);
    }

    /** A level whose previous level is the one numbered before it (-1 for level 0). */
    public LevelState(int number, String description, Instant committedAt, Map<String, BundleRecord> bundles,
            Map<String, String> packages, String operation) {
        this(number, description, committedAt, bundles, packages, operation, number - 1);
    }

    /**
     * @param previous the new level's {@link #previous()}
     * @return the level that follows this one once {@code changes} are applied
     */
    public LevelState next(String description, java.util.List<Change> changes, Map<String, String> newPackages,
            String operationId, int previous) {
        Map<String, BundleRecord> after = new java.util.TreeMap<>(bundles);
        for (Change change : changes) {
            switch (change.kind()) {
                case INSTALL, UPDATE -> after.put(change.symbolicName(),
                        new BundleRecord(change.toVersion(), change.toHash(), change.toLocation()));
                case UNINSTALL -> after.remove(change.symbolicName());
                case UNCHANGED -> { }
            }
        }
        return new LevelState(number + 1, description, Instant.now(), after, newPackages, operationId, previous);
    }

    Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("level", Integer.toString(number));
        fields.put("description", description);
        fields.put("at", committedAt.toString());
        StringBuilder b = new StringBuilder();
        new TreeMap<>(bundles).forEach((bsn, r) -> b.append(b.length() == 0 ? "" : ",")
                .append(bsn).append('@').append(r.version()).append('@').append(r.hash()).append('@')
                .append(URLEncoder.encode(r.location(), StandardCharsets.UTF_8)));
        fields.put("bundles", b.toString());
        StringBuilder p = new StringBuilder();
        new TreeMap<>(packages).forEach((name, version) -> p.append(p.length() == 0 ? "" : ",")
                .append(name).append('@').append(version));
        fields.put("packages", p.toString());
        fields.put("op", operation);
        fields.put("previous", Integer.toString(previous));
        return fields;
    }

    static LevelState from(Journal.Entry entry) {
        Map<String, BundleRecord> bundles = new LinkedHashMap<>();
        for (String item : entry.get("bundles").split(",")) {
            if (item.isEmpty()) {
                continue;
            }
            String[] parts = item.split("@", -1);
            bundles.put(parts[0], new BundleRecord(parts[1], parts[2], URLDecoder.decode(parts[3], StandardCharsets.UTF_8)));
        }
        Map<String, String> packages = new LinkedHashMap<>();
        for (String item : entry.get("packages").split(",")) {
            if (item.isEmpty()) {
                continue;
            }
            String[] parts = item.split("@", -1);
            packages.put(parts[0], parts[1]);
        }
        int number = Integer.parseInt(entry.get("level"));
        // A journal written before levels recorded their previous one: the level numbered before.
        String previous = entry.get("previous");
        return new LevelState(number, entry.get("description"), Instant.parse(entry.get("at")), bundles, packages,
                entry.get("op"), previous.isEmpty() ? number - 1 : Integer.parseInt(previous));
    }
}
