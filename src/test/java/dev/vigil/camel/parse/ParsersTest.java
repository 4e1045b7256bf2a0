package dev.vigil.camel.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.point.RawPoint;
import dev.vigil.service.point.RejectReason;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON, CSV and line reading: the shapes Vigil accepts and how it refuses the rest. */
class ParsersTest {

    @Test
    void json_flatObject_metadataAndFeatures() {
        RawPoint p = JsonPoints.parseLine("{\"id\":7,\"key\":\"s1\",\"timestamp\":\"t\",\"a\":1.5,\"b\":\"2\",\"c\":null}", "d");
        assertEquals("7", p.id());
        assertEquals("s1", p.key());
        assertEquals("t", p.timestamp());
        assertArrayEquals(new String[] {"a", "b", "c"}, p.names());
        assertArrayEquals(new Object[] {1.5, "2", RawPoint.WrongType.NULL}, p.values());
    }

    @Test
    void json_envelope_featuresFromTheNestedObject() {
        RawPoint p = JsonPoints.parseLine("{\"key\":\"s\",\"features\":{\"x\":1,\"y\":[1]},\"extra\":true}", "d");
        assertArrayEquals(new String[] {"x", "y"}, p.names());
        assertArrayEquals(new Object[] {1.0, RawPoint.WrongType.ARRAY}, p.values());
    }

    /**
     * A key that is not text, a field given twice: read to the end of the point and carried as its problem, so the
     * point is refused by name and the rest of a body still counts. Before, the object key became the default key
     * and the second features object replaced the first.
     */
    @Test
    void json_keyNotAStringOrAFieldTwice_carriedAsTheProblem() {
        RawPoint objectKey = JsonPoints.parseLine("{\"key\":{\"k\":1},\"a\":1}", "d");
        assertEquals(new RawPoint.Problem("key", RejectReason.INVALID_KEY, "key must be a string, not an object"),
                objectKey.problem());
        assertEquals("invalid_key", JsonPoints.parseLine("{\"key\":5,\"a\":1}", "d").problem().rule().label());
        assertNull(JsonPoints.parseLine("{\"key\":null,\"a\":1}", "d").problem(), "null is no key");
        RawPoint twice = JsonPoints.parseLine("{\"key\":\"k\",\"features\":{\"a\":1},\"features\":{\"b\":2}}", "d");
        assertEquals("features", twice.problem().field());
        assertEquals(RejectReason.DUPLICATE_FIELD, twice.problem().rule());
        assertEquals(RejectReason.DUPLICATE_FIELD, JsonPoints.parseLine("{\"key\":\"x\",\"key\":\"y\",\"a\":1}", "d")
                .problem().rule());
        assertEquals(RejectReason.INVALID_KEY, JsonPoints.parseLine("{\"id\":[1],\"a\":1}", "d").problem().rule());
        assertNull(JsonPoints.parseLine("{\"id\":7,\"timestamp\":1700000000,\"a\":1}", "d").problem());
    }

    /** A fraction that reads as zero is kept as its text: validation tells 0.0 from 1e-400 (below any double). */
    @Test
    void json_fractionReadingAsZero_keptAsText() {
        assertArrayEquals(new Object[] {"1e-400", "0.0", 1e-320, 0.0},
                JsonPoints.parseLine("{\"a\":1e-400,\"b\":0.0,\"c\":1e-320,\"d\":0}", "d").values());
    }

    @Test
    void json_bodyArray_keepsEachOriginal() {
        List<RawPoint> points = JsonPoints.parseBody("[{\"a\":1}, {\"a\":2,\"key\":\"k\"}]", "dflt", 10, "test");
        assertEquals(2, points.size());
        assertEquals("dflt", points.get(0).key());
        assertEquals("k", points.get(1).key());
        assertEquals("{\"a\":2,\"key\":\"k\"}", points.get(1).original());
    }

    @Test
    void json_refused_malformedDeepTooManyNotObject() {
        assertEquals("malformed", assertThrows(InputProblem.class, () -> JsonPoints.parseLine("{\"a\":", "d")).code());
        InputProblem deep = assertThrows(InputProblem.class,
                () -> JsonPoints.parseLine("{\"a\":" + "[".repeat(50) + "]".repeat(50) + "}", "d"));
        assertEquals("too_deeply_nested", deep.code());
        assertEquals(400, deep.status());
        // At the limit is still read (the value is then refused by validation as an array, not by the parser).
        JsonPoints.parseLine("{\"a\":" + "[".repeat(JsonPoints.MAX_DEPTH - 1) + "]".repeat(JsonPoints.MAX_DEPTH - 1) + "}", "d");
        InputProblem longNumber = assertThrows(InputProblem.class,
                () -> JsonPoints.parseLine("{\"a\":1" + "0".repeat(JsonPoints.MAX_NUMBER_LENGTH) + "}", "d"));
        assertEquals("value_too_long", longNumber.code());
        assertEquals("malformed", longNumber.rejectReason().label());
        assertEquals("malformed", assertThrows(InputProblem.class, () -> JsonPoints.parseLine("{\"a\":1} x", "d")).code());
        assertEquals("not_an_object", assertThrows(InputProblem.class, () -> JsonPoints.parseLine("42", "d")).code());
        InputProblem many = assertThrows(InputProblem.class, () -> JsonPoints.parseBody("[{},{},{}]", "d", 2, "vigil.http.max-points"));
        assertEquals(413, many.status());
        assertEquals("too_many_points", many.code());
        assertTrue(many.getMessage().contains("vigil.http.max-points"), many.getMessage());
    }

    @Test
    void csv_headerMetadataColumnsAndQuotes() {
        CsvPoints csv = new CsvPoints("\uFEFFid,temperature,key,\"note\"");
        RawPoint p = csv.parse("r1,20.5,s1,\"a, \"\"quoted\"\" note\"", "dflt-id", "dflt");
        assertEquals("r1", p.id());
        assertEquals("s1", p.key());
        assertArrayEquals(new String[] {"temperature", "note"}, p.names());
        assertArrayEquals(new Object[] {"20.5", "a, \"quoted\" note"}, p.values());
        RawPoint defaults = csv.parse(",1,,x", "file:2", "dflt");
        assertEquals("file:2", defaults.id());
        assertEquals("dflt", defaults.key());
        assertThrows(InputProblem.class, () -> csv.parse("only,three,cells", "i", "k"));
        assertThrows(InputProblem.class, () -> csv.parse("r,\"open,x,y", "i", "k"));
    }

    @Test
    void lines_crlfAndLastLineWithoutNewline() throws IOException {
        BoundedLineReader r = new BoundedLineReader(new StringReader("a\r\nb\n\nc"), 10);
        assertEquals("a", r.readLine());
        assertEquals("b", r.readLine());
        assertEquals("", r.readLine());
        assertEquals("c", r.readLine());
        assertNull(r.readLine());
    }

    @Test
    void lines_tooLong_skippedWholeWithoutBeingKept() throws IOException {
        String huge = "x".repeat(100_000);
        BoundedLineReader r = new BoundedLineReader(new StringReader("ok\n" + huge + "\nafter\n"), 1000);
        assertEquals("ok", r.readLine());
        assertSame(BoundedLineReader.TOO_LONG, r.readLine());
        assertEquals("after", r.readLine());
        assertNull(r.readLine());
    }
}
