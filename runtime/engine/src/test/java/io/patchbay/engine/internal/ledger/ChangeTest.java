package io.patchbay.engine.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.patchbay.engine.internal.plan.Change;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeTest {

    @TempDir
    Path temp;

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void encodesAndDecodesEveryKindWithAwkwardLocations() {
        List<Change> changes = List.of(
                new Change("x.update", Change.Kind.UPDATE, "file:/opt/a b,c@d.jar", "1.0.0", A, "1.0.1", B),
                new Change("x.install", Change.Kind.INSTALL, "patchbay:x.install", "", "", "2.0.0", B),
                new Change("x.gone", Change.Kind.UNINSTALL, "patchbay:x.gone", "1.0.0", A, "", ""));
        assertEquals(changes, Change.decode(Change.encode(changes)));
    }

    @Test
    void theInverseUndoes() {
        Change install = new Change("x", Change.Kind.INSTALL, "patchbay:x", "", "", "1.0.0", A);
        assertEquals(new Change("x", Change.Kind.UNINSTALL, "patchbay:x", "1.0.0", A, "", ""), install.inverse());
        Change update = new Change("x", Change.Kind.UPDATE, "l", "1.0.0", A, "1.0.1", B);
        assertEquals(update, update.inverse().inverse());
        assertEquals("1.0.0", update.inverse().toVersion());
        assertEquals(A, update.inverse().toHash());
    }

    @Test
    void aLevelFollowsFromItsChangesAndSurvivesTheJournal() throws Exception {
        LevelState zero = new LevelState(0, "initial", Instant.EPOCH,
                Map.of("x", new LevelState.BundleRecord("1.0.0", A, "patchbay:initial/x"),
                        "y", new LevelState.BundleRecord("1.0.0", A, "patchbay:initial/y")), Map.of(), "");
        LevelState one = zero.next("apply p 1.0.0", List.of(
                new Change("x", Change.Kind.UPDATE, "patchbay:initial/x", "1.0.0", A, "1.0.1", B),
                new Change("y", Change.Kind.UNINSTALL, "patchbay:initial/y", "1.0.0", A, "", ""),
                new Change("z", Change.Kind.INSTALL, "patchbay:z", "", "", "3.0.0", B)), Map.of("p", "1.0.0"), "op-1",
                zero.number());
        assertEquals(1, one.number());
        assertEquals(new LevelState.BundleRecord("1.0.1", B, "patchbay:initial/x"), one.bundles().get("x"));
        assertEquals(null, one.bundles().get("y"));
        assertEquals(new LevelState.BundleRecord("3.0.0", B, "patchbay:z"), one.bundles().get("z"));
        Journal journal = new Journal(temp.resolve("journal.log"));
        journal.append(PatchLedger.LEVEL, one.fields());
        journal.close();
        Journal.Entry entry = new Journal(temp.resolve("journal.log")).entries().get(0);
        LevelState read = LevelState.from(entry);
        assertEquals(one.bundles(), read.bundles());
        assertEquals(one.packages(), read.packages());
        assertEquals("op-1", read.operation());
        assertEquals(0, read.previous());
    }

    @Test
    void aLevelMadeByARollbackGoesBackToTheLevelBeforeTheOneItRestoredEvenAfterTheJournal() throws Exception {
        LevelState zero = new LevelState(0, "initial", Instant.EPOCH,
                Map.of("x", new LevelState.BundleRecord("1.0.0", A, "patchbay:initial/x")), Map.of(), "");
        Change update = new Change("x", Change.Kind.UPDATE, "patchbay:initial/x", "1.0.0", A, "1.0.1", B);
        LevelState one = zero.next("apply p 1.0.0", List.of(update), Map.of("p", "1.0.0"), "op-1", zero.number());
        LevelState two = one.next("rollback to level 0", List.of(update.inverse()), Map.of(), "op-2", zero.previous());
        assertEquals(-1, zero.previous());
        assertEquals(-1, two.previous());
        Journal journal = new Journal(temp.resolve("journal.log"));
        journal.append(PatchLedger.LEVEL, two.fields());
        Map<String, String> beforePreviousWasRecorded = new java.util.LinkedHashMap<>(one.fields());
        beforePreviousWasRecorded.remove("previous");
        journal.append(PatchLedger.LEVEL, beforePreviousWasRecorded);
        journal.close();
        List<Journal.Entry> entries = new Journal(temp.resolve("journal.log")).entries();
        assertEquals(-1, LevelState.from(entries.get(0)).previous());
        assertEquals(0, LevelState.from(entries.get(1)).previous(), "an older record: the level numbered before");
    }
}
