package io.patchbay.demo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", Json.string("a\"b\\c\nd\u0001"));
        assertEquals("null", Json.string(null));
    }

    @Test
    void nonFiniteNumbersBecomeNull() {
        assertEquals("null", Json.number(Double.NaN));
        assertEquals("-5.0", Json.number(-5.0));
    }
}
