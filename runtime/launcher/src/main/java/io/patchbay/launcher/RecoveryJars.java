package io.patchbay.launcher;

import io.patchbay.journal.JournalFormat;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The check, before a start, that the store jars the engine's recovery at start will install are
 * intact. Recovery runs inside the framework before any application bundle starts; a damaged jar
 * would make it fail there, the engine bundle with it, and the application would run without its
 * engine. So a start whose recovery needs a jar whose bytes no longer have the sha256 it is stored
 * under is refused with exit status 3 and one line naming the jar, its bundle and the way out;
 * nothing in the data folder is changed.
 *
 * <p>Which jars recovery needs is read from the journal (already known to be readable), as the
 * engine reads it: for the last operation that began and never ended, the jars the last committed
 * level records for the bundles that operation touched; after a {@code patchbay journal repair}
 * whose restore has not begun yet, the jars of every bundle of that level. A jar missing from the
 * store is left to the engine, which reports it and starts without restoring. A start with nothing
 * to recover reads no jar.
 */
final class RecoveryJars {

    /** Where the engine keeps its jars in the data folder, each named by its sha256 (engine's EngineFiles). */
    static final String STORE_IN_DATA = "patchbay/store";

    /** The engine's record types and operation name this check follows (engine's PatchLedger). */
    private static final String LEVEL = "LEVEL";
    private static final String BEGIN = "BEGIN";
    private static final String END = "END";
    private static final String RESTORE_AFTER_REPAIR = "journal repair";

    private RecoveryJars() {
    }

    /** Refuses the start when a jar the recovery at start needs is damaged. */
    static void requireIntact(Path data) throws LaunchException {
        Path journal = JournalFormat.in(data);
        if (!Files.exists(journal)) {
            return;
        }
        Needed needed = new Needed();
        JournalFormat.scan(JournalCommand.readAll(journal), needed);
        Path store = data.resolve(STORE_IN_DATA);
        for (String bundle : needed.bundles()) {
            Stored record = needed.level.get(bundle);
            if (record == null || !record.hash().matches("[0-9a-f]{64}")) {
                continue; // nothing the engine could restore it from: not this check's to judge
            }
            Path jar = store.resolve(record.hash() + ".jar");
            if (!Files.isRegularFile(jar)) {
                continue; // the engine's recovery reports a missing jar itself, as the class comment says
            }
            byte[] bytes = read(jar);
            String actual = sha256(bytes);
            if (!actual.equals(record.hash())) {
                throw new LaunchException(LaunchException.ENVIRONMENT, "stored jar " + jar + " of " + bundle + " "
                        + record.version() + " is damaged (" + bytes.length + " bytes whose sha256 is " + actual + "), and"
                        + " the recovery at start needs it to finish the " + needed.what() + ", so the runtime does"
                        + " not start; restore " + store + " from a backup of the data folder");
            }
        }
    }

    /** A bundle of a level: its version and the sha256 of its jar in the store. */
    private record Stored(String version, String hash) {
    }

    /** Follows the journal's records as the engine's recovery reads them. */
    private static final class Needed implements JournalFormat.RecordVisitor {

        /** The last committed level's bundles. */
        private final Map<String, Stored> level = new LinkedHashMap<>();
        /** Operations begun and not ended: id to the BEGIN record's body. */
        private final Map<String, String> open = new LinkedHashMap<>();
        private boolean repairPending;

        @Override
        public void record(int line, long offset, String body) {
            switch (JournalFormat.type(body)) {
                case LEVEL -> {
                    level.clear();
                    for (String item : field(body, "bundles").split(",")) {
                        String[] parts = item.split("@", -1);
                        if (parts.length >= 3) {
                            level.put(parts[0], new Stored(parts[1], parts[2]));
                        }
                    }
                }
                case BEGIN -> {
                    open.put(field(body, "id"), body);
                    repairPending &= !field(body, "op").equals(RESTORE_AFTER_REPAIR);
                }
                case END -> open.remove(field(body, "id"));
                case JournalFormat.REPAIRED -> repairPending = true;
                default -> { }
            }
        }

        /** @return the bundles whose jars recovery takes from the store, at most */
        Set<String> bundles() {
            Set<String> bundles = new TreeSet<>();
            lastOpen().ifPresent(begin -> {
                for (String change : field(begin, "changes").split(",")) {
                    if (!change.isEmpty()) {
                        bundles.add(change.split("@", -1)[0]);
                    }
                }
            });
            if (repairPending) {
                bundles.addAll(level.keySet());
            }
            return bundles;
        }

        /** @return what recovery finishes, for the refusal */
        String what() {
            return lastOpen().map(begin -> "interrupted " + field(begin, "op") + " of " + field(begin, "subject"))
                    .orElse("journal repair");
        }

        private Optional<String> lastOpen() {
            return open.values().stream().reduce((first, second) -> second);
        }

        private static String field(String body, String key) {
            return URLDecoder.decode(JournalFormat.rawField(body, key), StandardCharsets.UTF_8);
        }
    }

    private static byte[] read(Path jar) throws LaunchException {
        try {
            return Files.readAllBytes(jar);
        } catch (IOException e) {
            throw new LaunchException(LaunchException.ENVIRONMENT, "cannot read the stored jar " + jar + " ("
                    + DataFolder.reason(e) + ")");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
