package io.patchbay.management.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryTest {

    private static final Set<String> KNOWN = Set.of("simulate", "level", "name");

    @Test
    void readsFlagsLevelsAndDecodedText() throws Exception {
        Query query = Query.parse("simulate=true&level=3&name=a%2Bb.dp", KNOWN);
        assertTrue(query.flag("simulate", false));
        assertEquals(3, query.level("level"));
        assertEquals("a+b.dp", query.text("name"));
        Query empty = Query.parse(null, KNOWN);
        assertFalse(empty.flag("simulate", false));
        assertNull(empty.level("level"));
    }

    @Test
    void refusesUnknownRepeatedAndMalformedParametersWith400() {
        assertRefused("unknown query parameter 'simulat'; known: level, name, simulate", "simulat=true", KNOWN);
        assertRefused("unknown query parameter 'x'; this endpoint takes none", "x=1", Set.of());
        assertRefused("query parameter 'level' is given more than once", "level=1&level=2", KNOWN);
        assertRefused("malformed query string: %zz", "name=%zz", KNOWN);
    }

    @Test
    void refusesValuesThatAreNotWhatTheParameterTakes() throws Exception {
        ApiError flag = assertThrows(ApiError.class, () -> Query.parse("simulate=yes", KNOWN).flag("simulate", false));
        assertEquals("query parameter 'simulate' must be true or false, not 'yes'", flag.getMessage());
        ApiError level = assertThrows(ApiError.class, () -> Query.parse("level=-1", KNOWN).level("level"));
        assertEquals("query parameter 'level' must be a patch level (0 or more), not '-1'", level.getMessage());
        assertEquals(400, level.status());
    }

    private static void assertRefused(String message, String query, Set<String> known) {
        ApiError e = assertThrows(ApiError.class, () -> Query.parse(query, known));
        assertEquals(400, e.status());
        assertEquals(message, e.getMessage());
    }
}
