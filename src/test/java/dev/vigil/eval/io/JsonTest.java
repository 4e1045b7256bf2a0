package dev.vigil.eval.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parse_nestedValuesInFileOrder() {
        Object value = Json.parse(" {\"b\": [1, -2.5e1, \"x\\\"y\\u00e9\"], \"a\": {\"t\": true, \"n\": null},"
                + " \"e\": []} ");
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(List.of("b", "a", "e"), List.copyOf(map.keySet()));
        assertEquals(List.of(1.0, -25.0, "x\"y\u00e9"), map.get("b"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) map.get("a")).get("t"));
        assertNull(((Map<?, ?>) map.get("a")).get("n"));
        assertEquals(List.of(), map.get("e"));
    }

    @Test
    void parse_malformedText_isRefusedWithTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1,}"));
        assertEquals("JSON: expected a value at offset 9", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
    }

    @Test
    void write_escapesAndNonFiniteNumbers() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", Json.string("a\"b\\c\n\u0001"));
        assertEquals("0.1235", Json.number(0.123456, 4));
        assertEquals("null", Json.number(Double.NaN, 2));
    }
}
