package io.patchbay.engine.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path temp;

    @Test
    void recordsSurviveReopeningWithAwkwardValues() throws Exception {
        Path file = temp.resolve("journal.log");
        Journal journal = new Journal(file);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("reason", "a|b=c, d@e\nnext line ü");
        fields.put("empty", "");
        journal.append("END", fields);
        journal.close();

        List<Journal.Entry> entries = new Journal(file).entries();
        assertEquals(1, entries.size());
        assertEquals("END", entries.get(0).type());
        assertEquals("a|b=c, d@e\nnext line ü", entries.get(0).get("reason"));
        assertEquals("", entries.get(0).get("empty"));
    }

    @Test
    void aTornLastRecordIsIgnoredAndTheNextOneStartsOnItsOwnLine() throws Exception {
        Path file = temp.resolve("journal.log");
        Journal journal = new Journal(file);
        journal.append("STEP", Map.of("id", "1", "name", "begin"));
        journal.close();
        Files.writeString(file, "STEP|id=1|name=upd", StandardOpenOption.APPEND);

        Journal reopened = new Journal(file);
        assertEquals(1, reopened.entries().size());
        reopened.append("END", Map.of("id", "1", "outcome", "recovered"));
        reopened.close();
        List<Journal.Entry> entries = new Journal(file).entries();
        assertEquals(List.of("STEP", "END"), entries.stream().map(Journal.Entry::type).toList());
    }

    @Test
    void aRecordIsReadAloneFromWhereItStarts() throws Exception {
        Path file = temp.resolve("journal.log");
        Journal journal = new Journal(file);
        long first = journal.append("LEVEL", Map.of("level", "0", "bundles", "x".repeat(20_000)));
        journal.append("STEP", Map.of("id", "1"));
        long second = journal.append("LEVEL", Map.of("level", "1", "description", "ü|=\n"));
        assertEquals("0", journal.entryAt(first).get("level"));
        assertEquals("x".repeat(20_000), journal.entryAt(first).get("bundles"));
        assertEquals("ü|=\n", journal.entryAt(second).get("description"));
        journal.close();

        List<Journal.Located> levels = new Journal(file).located("LEVEL");
        assertEquals(List.of(first, second), levels.stream().map(Journal.Located::offset).toList());
        assertEquals(List.of("0", "1"), levels.stream().map(l -> l.entry().get("level")).toList());
        assertThrows(UncheckedIOException.class, () -> new Journal(file).entryAt(first + 1));
    }

    /** One changed byte in a record with another one after it is damage, named by its line; nothing is cut off. */
    @Test
    void aDamagedRecordBeforeTheLastIsAnError() throws Exception {
        Path file = twoSteps();
        String content = Files.readString(file, StandardCharsets.UTF_8).replaceFirst("id=1", "id=9");
        Files.writeString(file, content);
        IOException e = assertThrows(IOException.class, () -> new Journal(file));
        assertEquals("journal " + file + " is damaged at line 1", e.getMessage());
        assertEquals(content, Files.readString(file, StandardCharsets.UTF_8), "a damaged record is never cut off");
    }

    /**
     * The last record saved with its newline but a garbled middle (a power cut that wrote its pages
     * out of order) is the append the crash cut short: cut off, and the next record starts in its place.
     */
    @Test
    void aGarbledLastRecordIsCutOffAsATornOne() throws Exception {
        Path file = twoSteps();
        Files.writeString(file, Files.readString(file, StandardCharsets.UTF_8).replaceFirst("id=2", "id=\0\0"));

        Journal reopened = new Journal(file);
        assertEquals(List.of("1"), reopened.entries().stream().map(e -> e.get("id")).toList());
        reopened.append("END", Map.of("id", "1", "outcome", "recovered"));
        reopened.close();
        List<Journal.Entry> entries = new Journal(file).entries();
        assertEquals(List.of("STEP", "END"), entries.stream().map(Journal.Entry::type).toList());
    }

    private Path twoSteps() throws IOException {
        Path file = temp.resolve("journal.log");
        Journal journal = new Journal(file);
        journal.append("STEP", Map.of("id", "1"));
        journal.append("STEP", Map.of("id", "2"));
        journal.close();
        return file;
    }
}
