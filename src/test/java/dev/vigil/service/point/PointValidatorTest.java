package dev.vigil.service.point;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.entity.EntityRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every validation rule, with the field and reason it reports. */
class PointValidatorTest {

    private static VigilConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(VigilConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build()
                .getConfigMapping(VigilConfig.class);
    }

    private final VigilConfig defaults = config(Map.of());
    private final EntityRegistry entities = new EntityRegistry(100, Long.MAX_VALUE);
    private final PointValidator validator = new PointValidator(defaults, entities);

    private static RawPoint point(String key, Object... namesAndValues) {
        String[] names = new String[namesAndValues.length / 2];
        Object[] values = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = (String) namesAndValues[2 * i];
            values[i] = namesAndValues[2 * i + 1];
        }
        return new RawPoint("id-1", key, null, names, values, "original text");
    }

    private PointBatch validate(PointValidator v, RawPoint... points) {
        PointBatch batch = new PointBatch("test", "client", new ArrayList<>(List.of(points)));
        v.validate(batch);
        return batch;
    }

    private Rejection rejected(RawPoint p) {
        PointBatch batch = validate(validator, p);
        assertEquals(1, batch.rejections().size(), "expected a rejection, got " + batch.points());
        Rejection r = batch.rejections().get(0);
        assertEquals("original text", r.original());
        assertEquals("test", r.source());
        return r;
    }

    @Test
    void validPoint_numbersAndNumericStrings_becomeValues() {
        PointBatch batch = validate(validator, point("s1", "a", 1.5, "b", " -2e3 "));
        assertEquals(List.of(), batch.rejections());
        assertArrayEquals(new double[] {1.5, -2000}, batch.points().get(0).values());
        assertEquals("s1", batch.points().get(0).key());
    }

    @Test
    void missingKey_takesTheDefault() {
        assertEquals("default", validate(validator, point(null, "a", 1.0)).points().get(0).key());
    }

    @Test
    void pointTheRulesCannotCheck_isRejectedAlone_notTheBatch() {
        // No parser makes a point without names; if a bug ever does, that point must not fail its batch (a
        // broker would redeliver the batch for ever), and the rest of the batch still goes through.
        PointBatch batch = validate(validator, point("s", "a", 1.0),
                new RawPoint("id-2", "s", null, null, null, "original text"), point("s", "a", 2.0));
        assertEquals(2, batch.points().size());
        assertEquals(1, batch.rejections().size());
        Rejection r = batch.rejections().get(0);
        assertEquals(RejectReason.UNCHECKED, r.rule());
        assertTrue(r.message().contains("could not be checked"), r.message());
    }

    @Test
    void rules_eachRejectionNamesFieldAndReason() {
        assertRule(point("s", "a", Double.NaN), "a", RejectReason.NOT_FINITE);
        assertRule(point("s", "a", "Infinity"), "a", RejectReason.NOT_FINITE);
        assertRule(point("s", "a", 1e10), "a", RejectReason.OUT_OF_RANGE);
        assertRule(point("s", "a", -2e10), "a", RejectReason.OUT_OF_RANGE);
        assertRule(point("s", "a", "12 apples"), "a", RejectReason.NOT_A_NUMBER);
        assertRule(point("s", "a", "0x1p3"), "a", RejectReason.NOT_A_NUMBER);
        assertRule(point("s", "a", "x".repeat(10_001)), "a", RejectReason.STRING_TOO_LONG);
        assertRule(point("s", "a", "javascript:alert(1)"), "a", RejectReason.BLOCKED_PATTERN);
        assertRule(point("s", "a", "EVAL(x)"), "a", RejectReason.BLOCKED_PATTERN);
        assertRule(point("s", "a", RawPoint.WrongType.BOOLEAN), "a", RejectReason.WRONG_TYPE);
        assertRule(point("s", "a", RawPoint.WrongType.NULL), "a", RejectReason.WRONG_TYPE);
        assertRule(point("s", "a", RawPoint.WrongType.OBJECT), "a", RejectReason.WRONG_TYPE);
        assertRule(point("s", "__proto__", 1.0), "__proto__", RejectReason.BLOCKED_PATTERN);
        assertRule(point("s", "<script>x", 1.0), "<script>x", RejectReason.BLOCKED_PATTERN);
        assertRule(point("s", "9lives", 1.0), "9lives", RejectReason.NAME_PATTERN);
        assertRule(point("s", "has space", 1.0), "has space", RejectReason.NAME_PATTERN);
        assertRule(point("s", "n".repeat(101), 1.0), null, RejectReason.NAME_TOO_LONG);
        assertRule(point("s"), null, RejectReason.EMPTY_POINT);
        assertRule(point("k".repeat(101), "a", 1.0), "key", RejectReason.INVALID_KEY);
        assertRule(point("tab\there", "a", 1.0), "key", RejectReason.INVALID_KEY);
        // A blank key was accepted, and /ingest then lost its points: Camel's aggregator refuses a blank
        // correlation key (found by HostileHttpCorpusTest).
        assertRule(point(" ", "a", 1.0), "key", RejectReason.INVALID_KEY);
        assertRule(point("\u2003 ", "a", 1.0), "key", RejectReason.INVALID_KEY);
        assertRule(point("lone\uD800", "a", 1.0), "key", RejectReason.INVALID_KEY);
        assertRule(point("\uDC00lone", "a", 1.0), "key", RejectReason.INVALID_KEY);
        assertEquals(List.of(), validate(validator, point("pair\uD83D\uDE00", "a", 1.0)).rejections());
        assertRule(point("<script>", "a", 1.0), "key", RejectReason.BLOCKED_PATTERN);
    }

    private void assertRule(RawPoint p, String field, RejectReason reason) {
        Rejection r = rejected(p);
        assertEquals(reason, r.rule(), r.message());
        if (field != null) {
            assertEquals(field, r.field(), r.message());
        }
        assertTrue(!r.message().isBlank());
    }

    @Test
    void allowedNames_identifierIpv4Uuid() {
        PointBatch batch = validate(validator, point("names", "cpu_load", 1.0, "10.0.0.1", 2.0,
                "123e4567-e89b-12d3-a456-426614174000", 3.0));
        assertEquals(List.of(), batch.rejections());
    }

    @Test
    void tooManyFeatures_rejected() {
        Object[] nv = new Object[2 * 1001];
        for (int i = 0; i < 1001; i++) {
            nv[2 * i] = "f" + i;
            nv[2 * i + 1] = 1.0;
        }
        assertRule(point("wide", nv), null, RejectReason.TOO_MANY_FEATURES);
    }

    @Test
    void schema_fixedOnFirstSight_reorderedLater_driftRejected() {
        validate(validator, point("schema", "a", 1.0, "b", 2.0));
        PointBatch reordered = validate(validator, point("schema", "b", 20.0, "a", 10.0));
        assertArrayEquals(new double[] {10, 20}, reordered.points().get(0).values());
        assertArrayEquals(new String[] {"a", "b"}, reordered.points().get(0).names());
        Rejection missing = rejected(point("schema", "a", 1.0));
        assertEquals(RejectReason.SCHEMA_MISSING_FEATURE, missing.rule());
        assertEquals("b", missing.field());
        Rejection extra = rejected(point("schema", "a", 1.0, "b", 2.0, "c", 3.0));
        assertEquals(RejectReason.SCHEMA_EXTRA_FEATURE, extra.rule());
        assertEquals("c", extra.field());
        Rejection renamed = rejected(point("schema", "a", 1.0, "z", 2.0));
        assertEquals(RejectReason.SCHEMA_MISSING_FEATURE, renamed.rule());
        assertRule(point("schema", "a", 1.0, "a", 2.0), "a", RejectReason.DUPLICATE_FEATURE);
    }

    /**
     * A key's first point naming a feature twice (a duplicate JSON field) used to become the key's schema; the
     * key's next ordinary point then failed the whole batch with an IndexOutOfBoundsException, and a Kafka
     * partition carrying both never got past them (found by HostileKafkaCorpusTest).
     */
    @Test
    void duplicateFeature_refusedByRule_andTheKeysSchemaComesFromItsFirstValidPoint() {
        for (int n : new int[] {2, 40}) {
            Object[] nv = new Object[2 * n + 2];
            for (int i = 0; i < n; i++) {
                nv[2 * i] = "f" + i;
                nv[2 * i + 1] = 1.0;
            }
            nv[2 * n] = "f" + (n - 1);
            nv[2 * n + 1] = 2.0;
            assertRule(point("dup-" + n, nv), "f" + (n - 1), RejectReason.DUPLICATE_FEATURE);
        }
        PointBatch next = validate(validator, point("dup-2", "f0", 1.0, "f1", 2.0), point("dup-2", "f1", 3.0, "f0", 4.0));
        assertEquals(List.of(), next.rejections());
        assertEquals(2, next.points().size());
    }

    /** A schema that names a feature twice (from a checkpoint of an earlier version) refuses by rule, never throws. */
    @Test
    void schemaNamingAFeatureTwice_pointsRefusedWithTheMissingFeature() {
        entities.of("old-dup", new String[] {"t", "t", "p"});
        Rejection r = rejected(point("old-dup", "t", 1.0, "p", 2.0));
        assertEquals(RejectReason.SCHEMA_MISSING_FEATURE, r.rule(), r.message());
        assertEquals("t", r.field());
    }

    @Test
    void stringsHashPolicy_hashesLikeTheReference() {
        PointValidator hashing = new PointValidator(config(Map.of("vigil.validation.strings", "hash")),
                new EntityRegistry(100, Long.MAX_VALUE));
        PointBatch batch = validate(hashing, point("h", "colour", "red"));
        assertEquals(List.of(), batch.rejections());
        // Python: int(hashlib.md5(b"red").hexdigest()[:8], 16) % 10000 == 0xbda9643a % 10000 == 5066
        assertEquals(0xbda9643aL % 10_000, batch.points().get(0).values()[0], 0.0);
    }

    /** Keys that show as nothing (no-break space, zero-width space, a BOM) are refused like blank ones. */
    @Test
    void invisibleKeys_refused() {
        for (String key : List.of("\u00a0", "\u200b\u200b", "\ufeff", " \u2007\u3000", "\u3164")) {
            Rejection r = rejected(point(key, "a", 1.0));
            assertEquals(RejectReason.INVALID_KEY, r.rule(), key);
            assertEquals("key", r.field());
        }
        assertEquals(List.of(), validate(validator, point("\u200bvisible", "a", 1.0)).rejections());
    }

    /** The composed and decomposed spellings of a key are one key, in normal form C: one schema, one model. */
    @Test
    void keySpellings_normalisedToNfc() {
        PointBatch batch = validate(validator, point("caf\u00e9", "a", 1.0), point("cafe\u0301", "a", 2.0));
        assertEquals(List.of(), batch.rejections());
        assertEquals("caf\u00e9", batch.points().get(0).key());
        assertEquals("caf\u00e9", batch.points().get(1).key());
        assertEquals(1, entities.size());
    }

    /** A non-zero number below the smallest double would read as 0: refused by name; a written zero stays 0. */
    @Test
    void numberTooSmallForADouble_refused_zeroAccepted() {
        Rejection r = rejected(point("u", "a", "1e-400"));
        assertEquals(RejectReason.OUT_OF_RANGE, r.rule());
        assertEquals("a", r.field());
        assertTrue(r.message().contains("1e-400"), r.message());
        PointBatch zeros = validate(validator, point("u", "a", "0.000e-5"), point("u", "a", "-0.0"));
        assertEquals(List.of(), zeros.rejections());
    }

    /** What the parser found wrong with a point is its rejection, with the parser's field and rule. */
    @Test
    void parserProblem_isTheRejection() {
        RawPoint p = new RawPoint("id-1", "k", null, new String[] {"a"}, new Object[] {1.0}, "original text",
                new RawPoint.Problem("key", RejectReason.INVALID_KEY, "key must be a string, not an object"));
        Rejection r = rejected(p);
        assertEquals(RejectReason.INVALID_KEY, r.rule());
        assertEquals("key", r.field());
    }

    /** What a rejection keeps of its input is cut to a bound, never inside a surrogate pair, with the whole length. */
    @Test
    void rejectionTruncated_keepsTheLengthAndWholeCharacters() {
        Rejection r = new Rejection("s", "c", null, null, null, RejectReason.MALFORMED, "m", "ab\uD83D\uDE00cd");
        Rejection cut = r.truncatedTo(3);
        assertEquals("ab", cut.original());
        assertEquals(6, cut.originalLength());
        assertTrue(cut.truncated());
        assertTrue(!r.truncatedTo(6).truncated());
    }

    @Test
    void validBatch_rawPointsAreConsumed() {
        PointBatch batch = validate(validator, point("c", "a", 1.0));
        assertTrue(batch.raw().isEmpty());
        assertNull(batch.results());
    }
}
