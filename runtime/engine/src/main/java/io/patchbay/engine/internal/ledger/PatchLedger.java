package io.patchbay.engine.internal.ledger;

import io.patchbay.journal.JournalFormat;
import io.patchbay.patch.HistoryEntry;
import io.patchbay.patch.PatchLevel;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What Patchbay knows about its past, kept in the journal: the committed levels, the operations
 * with their intents and outcomes, and the refusals. Writes go through {@link Journal}, so each
 * is on disk before the framework is touched.
 */
public final class PatchLedger {

    static final String LEVEL = "LEVEL";
    static final String BEGIN = "BEGIN";
    static final String STEP = "STEP";
    static final String END = "END";
    static final String REFUSED = "REFUSED";
    /** The operation that brings the bundles back to the level a repaired journal ends at. */
    public static final String REPAIR = "journal repair";

    private final Journal journal;
    private final BundleStore store;
    /** The last committed level, kept because every operation asks for it; null before level 0. */
    private LevelState current;
    /**
     * Where each level's record starts in the journal, indexed by level number (levels are
     * numbered 0, 1, 2, ...; -1 where none), so that a rollback reads one record instead of the
     * whole history: 8 bytes a level in memory.
     */
    private long[] levelOffsets = new long[0];

    public PatchLedger(Journal journal, BundleStore store) {
        this.journal = journal;
        this.store = store;
        for (Journal.Located located : journal.located(LEVEL)) {
            LevelState level = LevelState.from(located.entry());
            remember(level.number(), located.offset());
            current = level;
        }
    }

    public BundleStore store() {
        return store;
    }

    public boolean hasLevels() {
        return current != null;
    }

    /** @return the last committed level; level 0 must have been recorded */
    public LevelState current() {
        if (current == null) {
            throw new IllegalStateException("no level recorded yet");
        }
        return current;
    }

    public List<LevelState> levels() {
        List<LevelState> levels = new ArrayList<>();
        for (Journal.Entry entry : journal.entries()) {
            if (entry.type().equals(LEVEL)) {
                levels.add(LevelState.from(entry));
            }
        }
        return levels;
    }

    public Optional<LevelState> level(int number) {
        long offset = number >= 0 && number < levelOffsets.length ? levelOffsets[number] : -1;
        return offset < 0 ? Optional.empty() : Optional.of(LevelState.from(journal.entryAt(offset)));
    }

    public void recordLevel(LevelState level) throws IOException {
        remember(level.number(), journal.append(LEVEL, level.fields()));
        current = level;
    }

    private void remember(int number, long offset) {
        if (number >= levelOffsets.length) {
            int old = levelOffsets.length;
            levelOffsets = Arrays.copyOf(levelOffsets, Math.max(number + 1, old * 2 + 16));
            Arrays.fill(levelOffsets, old, levelOffsets.length, -1);
        }
        levelOffsets[number] = offset;
    }

    /** Records an intent; returns its id. */
    public String begin(String operation, String subject, String operator, String changes) throws IOException {
        String id = UUID.randomUUID().toString();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("op", operation);
        fields.put("subject", subject);
        fields.put("operator", operator);
        fields.put("at", Instant.now().toString());
        fields.put("from", Integer.toString(current().number()));
        fields.put("changes", changes);
        journal.append(BEGIN, fields);
        return id;
    }

    public void step(String id, String name) throws IOException {
        journal.append(STEP, Map.of("id", id, "name", name));
    }

    public void end(String id, String outcome, int level, String reason) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("outcome", outcome);
        fields.put("level", Integer.toString(level));
        fields.put("reason", reason);
        fields.put("at", Instant.now().toString());
        journal.append(END, fields);
    }

    void refused(String operation, String subject, String operator, String reason) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("op", operation);
        fields.put("subject", subject);
        fields.put("operator", operator);
        fields.put("reason", reason);
        fields.put("at", Instant.now().toString());
        fields.put("level", Integer.toString(hasLevels() ? current().number() : 0));
        journal.append(REFUSED, fields);
    }

    /** @return the intent of an operation that began and never ended (a crash), if any */
    public Optional<Journal.Entry> unfinished() {
        Map<String, Journal.Entry> open = new LinkedHashMap<>();
        for (Journal.Entry entry : journal.entries()) {
            if (entry.type().equals(BEGIN)) {
                open.put(entry.get("id"), entry);
            } else if (entry.type().equals(END)) {
                open.remove(entry.get("id"));
            }
        }
        return open.values().stream().reduce((a, b) -> b);
    }

    /**
     * @return the record {@code patchbay journal repair} left, while the operation that brings the
     *         bundles back to the kept level has not begun yet
     */
    public Optional<Journal.Entry> repairPending() {
        Journal.Entry pending = null;
        for (Journal.Entry entry : journal.entries()) {
            if (entry.type().equals(JournalFormat.REPAIRED)) {
                pending = entry;
            } else if (entry.type().equals(BEGIN) && entry.get("op").equals(REPAIR)) {
                pending = null;
            }
        }
        return Optional.ofNullable(pending);
    }

    public List<HistoryEntry> history() {
        List<HistoryEntry> history = new ArrayList<>();
        Map<String, Journal.Entry> begins = new LinkedHashMap<>();
        Map<String, Journal.Entry> ends = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>();
        for (Journal.Entry entry : journal.entries()) {
            switch (entry.type()) {
                case BEGIN -> {
                    begins.put(entry.get("id"), entry);
                    order.add(entry.get("id"));
                }
                case END -> ends.put(entry.get("id"), entry);
                case REFUSED -> order.add(entry);
                case LEVEL -> {
                    if (entry.get("level").equals("0")) {
                        order.add(entry);
                    }
                }
                default -> { }
            }
        }
        for (Object item : order) {
            if (item instanceof Journal.Entry entry && entry.type().equals(REFUSED)) {
                history.add(new HistoryEntry(Instant.parse(entry.get("at")), entry.get("op"), entry.get("subject"),
                        entry.get("operator"), "refused", Integer.parseInt(entry.get("level")), entry.get("reason")));
            } else if (item instanceof Journal.Entry entry) {
                history.add(new HistoryEntry(Instant.parse(entry.get("at")), "provision", "initial bundle set",
                        "launcher", "committed", 0, ""));
            } else {
                Journal.Entry begin = begins.get(item);
                Journal.Entry end = ends.get(item);
                history.add(new HistoryEntry(Instant.parse(begin.get("at")), begin.get("op"), begin.get("subject"),
                        begin.get("operator"), end == null ? "in progress" : end.get("outcome"),
                        end == null ? Integer.parseInt(begin.get("from")) : Integer.parseInt(end.get("level")),
                        end == null ? "" : end.get("reason")));
            }
        }
        return history;
    }

    public static PatchLevel toApi(LevelState state) {
        Map<String, String> versions = new LinkedHashMap<>();
        state.bundles().forEach((bsn, record) -> versions.put(bsn, record.version()));
        return new PatchLevel(state.number(), state.description(), state.committedAt(), versions, state.previous());
    }

    /**
     * Journals a refusal of a changing operation (a verify or simulate changes nothing and is not
     * journalled); a failure to write loses only the record, since the caller hears of the refusal anyway.
     */
    public void recordRefusal(String operation, String subject, String operator, String reason) {
        if (operation.equals("verify") || operation.equals("simulate")) {
            return;
        }
        try {
            refused(operation, subject, operator, reason);
        } catch (IOException e) {
            // The refusal stands; only its record is lost, and the caller hears about it anyway.
        }
    }
}
