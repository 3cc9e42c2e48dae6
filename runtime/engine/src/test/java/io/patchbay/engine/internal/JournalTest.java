package io.patchbay.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
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
    void aDamagedRecordInTheMiddleIsAnError() throws Exception {
        Path file = temp.resolve("journal.log");
        Journal journal = new Journal(file);
        journal.append("STEP", Map.of("id", "1"));
        journal.append("STEP", Map.of("id", "2"));
        journal.close();
        String content = Files.readString(file, StandardCharsets.UTF_8).replaceFirst("id=1", "id=9");
        Files.writeString(file, content);
        IOException e = assertThrows(IOException.class, () -> new Journal(file));
        assertEquals("journal " + file + " is damaged at line 1", e.getMessage());
    }
}
