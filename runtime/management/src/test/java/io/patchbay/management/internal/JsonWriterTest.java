package io.patchbay.management.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void writesNestedObjectsAndArraysWithCommasInTheRightPlaces() {
        JsonWriter json = new JsonWriter().beginObject().field("a", 1).field("b", true).field("c", (String) null)
                .name("d").beginArray().beginObject().field("x", "y").endObject().value(2).endArray()
                .field("e", List.of("f", "g")).name("h").beginObject().endObject().endObject();
        assertEquals("{\"a\":1,\"b\":true,\"c\":null,\"d\":[{\"x\":\"y\"},2],\"e\":[\"f\",\"g\"],\"h\":{}}",
                json.toString());
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("[\"q\\\"b\\\\n\\nt\\tc\\u0001l\\u2028\"]",
                new JsonWriter().beginArray().value("q\"b\\n\nt\tc\u0001l\u2028").endArray().toString());
    }
}
