package io.patchbay.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalFormatTest {

    private static final String THREE = JournalFormat.line("LEVEL|level=0") + JournalFormat.line("BEGIN|id=1")
            + JournalFormat.line("END|id=1|outcome=committed");

    @Test
    void anIntactJournalIsReadToItsEnd() {
        List<String> bodies = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        JournalFormat.Scan scan = JournalFormat.scan(bytes(THREE), (line, offset, body) -> {
            lines.add(line);
            bodies.add(body);
        });
        assertFalse(scan.damaged());
        assertFalse(scan.tornTail());
        assertEquals(3, scan.records());
        assertEquals(THREE.length(), scan.validBytes());
        assertEquals(List.of(1, 2, 3), lines);
        assertEquals(List.of("LEVEL|level=0", "BEGIN|id=1", "END|id=1|outcome=committed"), bodies);
    }

    @Test
    void aLastLineWithoutItsNewlineIsATornAppendNotDamage() {
        String torn = THREE + "STEP|id=2|na";
        JournalFormat.Scan scan = JournalFormat.scan(bytes(torn), null);
        assertFalse(scan.damaged());
        assertTrue(scan.tornTail());
        assertEquals(3, scan.records());
        assertEquals(THREE.length(), scan.validBytes());
    }

    @Test
    void oneChangedByteInTheMiddleIsNamedByItsLineAndWhatFollowsIsCounted() {
        byte[] damaged = bytes(THREE);
        int inSecond = THREE.indexOf("id=1");
        damaged[inSecond + 3] = '7';
        List<String> bodies = new ArrayList<>();
        JournalFormat.Scan scan = JournalFormat.scan(damaged, (line, offset, body) -> bodies.add(body));
        assertTrue(scan.damaged());
        assertEquals(2, scan.damagedLine());
        assertEquals(THREE.indexOf("BEGIN"), scan.damagedAt());
        assertEquals(THREE.indexOf("BEGIN"), scan.validBytes());
        assertEquals(1, scan.records());
        assertEquals(List.of("LEVEL|level=0"), bodies, "nothing past the damage is handed out");
        assertEquals(1, scan.linesAfter());
        assertEquals(1, scan.intactAfter());
    }

    /** A power cut can save an append's newline but not its middle: still the append a crash cut short. */
    @Test
    void aCompleteLastRecordWithABadChecksumIsATornAppendNotDamage() {
        String text = THREE.replace("outcome=committed", "outcome=commitred");
        JournalFormat.Scan scan = JournalFormat.scan(bytes(text), null);
        assertFalse(scan.damaged());
        assertTrue(scan.tornTail());
        assertEquals(2, scan.records());
        assertEquals(THREE.indexOf("END"), scan.validBytes());
    }

    @Test
    void aBadRecordWithAnythingAfterItIsDamageEvenATornLine() {
        String text = THREE.replace("outcome=committed", "outcome=commitred") + "STEP|id=2|na";
        JournalFormat.Scan scan = JournalFormat.scan(bytes(text), null);
        assertTrue(scan.damaged());
        assertEquals(3, scan.damagedLine());
        assertEquals(THREE.indexOf("END"), scan.validBytes());
    }

    @Test
    void aChangedNewlineIsDamageAtTheFirstOfTheTwoRecordsItJoins() {
        byte[] damaged = bytes(THREE + JournalFormat.line("STEP|id=2"));
        damaged[THREE.indexOf('\n')] = 'x';
        JournalFormat.Scan scan = JournalFormat.scan(damaged, null);
        assertEquals(1, scan.damagedLine());
        assertEquals(0, scan.records());
        assertEquals(0, scan.validBytes());
    }

    @Test
    void aRecordIsIntactOnlyWithItsChecksumAndKeyedFields() {
        assertEquals("END|id=1", JournalFormat.checkedBody(JournalFormat.line("END|id=1").strip()));
        assertNull(JournalFormat.checkedBody("END|id=1"));
        assertNull(JournalFormat.checkedBody(JournalFormat.line("END|novalue").strip()));
        assertNull(JournalFormat.checkedBody("END|id=1|crc=00000000"));
        assertEquals("5", JournalFormat.rawField("LEVEL|level=5|description=x", "level"));
        assertEquals("LEVEL", JournalFormat.type("LEVEL|level=5"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
