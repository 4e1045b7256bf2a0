package dev.vigil.camel.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** {@link CaseInsensitiveHeaders} behaves as Camel's sorted case-insensitive map, small and past its size limit. */
class CaseInsensitiveHeadersTest {

    @Test
    void nameInAnotherCase_sameHeader_firstSpellingKept() {
        Map<String, Object> h = new CaseInsensitiveHeaders();
        h.put("kafka.KEY", "a");
        assertEquals("a", h.get("KAFKA.key"));
        assertEquals("a", h.put("Kafka.Key", "b"));
        assertEquals(1, h.size());
        assertEquals("kafka.KEY", h.keySet().iterator().next());
        assertEquals("b", h.remove("KAFKA.KEY"));
        assertTrue(h.isEmpty());
        assertThrows(NullPointerException.class, () -> h.put(null, "x"));
        assertNull(h.get("absent"));
        assertNull(h.get(42));
    }

    /** Random puts, gets, removals (by key and through iterators), entry updates and copies, against a TreeMap. */
    @Test
    void randomOperations_sameAsSortedCaseInsensitiveMap() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            Map<String, Object> expected = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            Map<String, Object> actual = new CaseInsensitiveHeaders();
            int names = 1 + random.nextInt(round % 2 == 0 ? 12 : 3 * CaseInsensitiveHeaders.LARGE);
            for (int op = 0; op < 300; op++) {
                String name = spelling("h" + random.nextInt(names), random);
                switch (random.nextInt(7)) {
                    case 0, 1, 2 -> {
                        Object value = random.nextInt(4) == 0 ? null : op;
                        assertEquals(expected.put(name, value), actual.put(name, value), name);
                    }
                    case 3 -> assertEquals(expected.remove(name), actual.remove(name), name);
                    case 4 -> {
                        int drop = random.nextInt(3);
                        expected.keySet().removeIf(k -> k.hashCode() % 3 == drop);
                        for (Iterator<String> it = actual.keySet().iterator(); it.hasNext();) {
                            if (it.next().hashCode() % 3 == drop) {
                                it.remove();
                            }
                        }
                    }
                    case 5 -> {
                        for (Map.Entry<String, Object> e : actual.entrySet()) {
                            e.setValue(e.getKey().length());
                        }
                        expected.replaceAll((k, v) -> k.length());
                    }
                    default -> actual = new CaseInsensitiveHeaders(actual);
                }
                assertEquals(expected.containsKey(name), actual.containsKey(name), name);
                assertEquals(expected.get(name), actual.get(name), name);
                assertEquals(expected.size(), actual.size());
            }
            assertEquals(expected, actual);
            assertEquals(actual, expected);
            assertEquals(expected.hashCode(), actual.hashCode());
            assertEquals(new ArrayList<>(expected.keySet()), sortedCaseInsensitive(actual));
        }
    }

    /** Camel's messages take their header maps from the factory, copies included. */
    @Test
    void camelMessage_withHeaderMaps_headersCaseInsensitive() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getCamelContextExtension().setHeadersMapFactory(new HeaderMaps());
            camel.start();
            Message m = new DefaultExchange(camel).getMessage();
            m.setHeader("kafka.PARTITION", 3);
            assertEquals(3, m.getHeader("Kafka.Partition"));
            assertTrue(m.getHeaders() instanceof CaseInsensitiveHeaders);
            Message copy = m.copy();
            assertEquals(3, copy.getHeader("KAFKA.PARTITION"));
            assertTrue(copy.getHeaders() instanceof CaseInsensitiveHeaders);
            m.removeHeaders("kafka*");
            assertTrue(m.getHeaders().isEmpty());
        }
    }

    private static String spelling(String name, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            sb.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }

    private static List<String> sortedCaseInsensitive(Map<String, Object> map) {
        List<String> names = new ArrayList<>(map.keySet());
        names.sort(String.CASE_INSENSITIVE_ORDER);
        return names;
    }
}
