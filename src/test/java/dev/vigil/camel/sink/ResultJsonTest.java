package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.vigil.camel.parse.InputProblem;
import dev.vigil.detect.grade.Severity;
import dev.vigil.service.monitor.Alert;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.DetectorState;
import dev.vigil.service.point.Explanation;
import dev.vigil.service.point.RejectReason;
import dev.vigil.service.point.Rejection;
import dev.vigil.service.point.Result;
import dev.vigil.service.security.SecurityEvent;
import dev.vigil.service.security.SecurityEvents;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON shapes other parts of the service build on. */
class ResultJsonTest {

    @Test
    void securitySummary_labelsAndIsoTimes() {
        Map<String, Long> byType = new LinkedHashMap<>();
        byType.put("missing_api_key", 2L);
        byType.put("rate_limited", 0L);
        SecurityEvent event = new SecurityEvent(SecurityEvent.Type.MISSING_API_KEY, null, "10.0.0.7",
                Instant.parse("2026-01-02T03:04:05Z"), "no X-API-Key header");
        String json = ResultJson.write(g -> ResultJson.writeSecuritySummary(g,
                new SecurityEvents.Summary(2, byType, List.of(event))));
        assertEquals("{\"total\":2,\"byType\":{\"missing_api_key\":2,\"rate_limited\":0},\"recent\":[{\"type\":"
                + "\"missing_api_key\",\"client\":\"unknown\",\"remoteAddress\":\"10.0.0.7\",\"time\":"
                + "\"2026-01-02T03:04:05Z\",\"detail\":\"no X-API-Key header\"}]}", json);
    }

    @Test
    void result_explained_attributionByFeatureAndText() {
        DataPoint p = new DataPoint("r-1", "sensor-1", null, new String[] {"temperature", "pressure"},
                new double[] {95, 1000});
        Explanation why = new Explanation(new double[] {0.8123456789, 0.1876543211}, "temperature 81%, pressure 19%");
        assertEquals("{\"id\":\"r-1\",\"key\":\"sensor-1\",\"source\":\"http\",\"score\":0.95,\"rarity\":0.9999,"
                + "\"severity\":\"critical\",\"isAnomaly\":true,\"model\":\"knn\",\"state\":\"healthy\",\"features\":"
                + "{\"temperature\":95.0,\"pressure\":1000.0},\"attribution\":{\"temperature\":0.812346,"
                + "\"pressure\":0.187654},\"explanation\":\"temperature 81%, pressure 19%\"}",
                ResultJson.result("http", new Result(p, 0.95, 0.9999, Severity.CRITICAL, true, "knn", DetectorState.HEALTHY,
                        null, why)));
        assertEquals("{\"id\":\"r-1\",\"key\":\"sensor-1\",\"source\":\"http\",\"score\":0.2,\"severity\":"
                + "\"low\",\"isAnomaly\":false,\"model\":\"knn\",\"state\":\"healthy\",\"features\":"
                + "{\"temperature\":95.0,\"pressure\":1000.0}}",
                ResultJson.result("http", new Result(p, 0.2, Double.NaN, Severity.LOW, false, "knn", DetectorState.HEALTHY,
                        null)));
    }

    /**
     * A lone surrogate (from a JSON escape or a JMS text) in a rejection's key, field, message or original used to
     * reach the file sink, which cannot encode it: the group, and then its dead letter, failed and were lost
     * (found by HostileKafkaCorpusTest). Every line is now encodable; a real pair stays as it is.
     */
    @Test
    void rejection_loneSurrogates_replacedSoTheLineEncodesAsUtf8() throws CharacterCodingException {
        String lone = "k\uD800x";
        String json = ResultJson.rejection(new Rejection("kafka", null, "id\uDC00", lone, lone, RejectReason.NAME_PATTERN,
                "feature name '" + lone + "' ...", "{\"" + lone + "\":1} \uD83D\uDE00"));
        ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(json));
        String decoded = StandardCharsets.UTF_8.newDecoder().decode(utf8).toString();
        assertEquals(json, decoded);
        assertEquals(5, decoded.chars().filter(c -> c == 0xFFFD).count(), decoded);
        assertEquals(true, decoded.contains("\uD83D\uDE00"), decoded);
        assertEquals("plain", ResultJson.wellFormed("plain"));
    }

    /** A result line is not scanned as a whole: each string it echoes from the input is made well-formed. */
    @Test
    void result_loneSurrogatesInEchoedStrings_replacedSoTheLineEncodesAsUtf8() throws CharacterCodingException {
        String lone = "k\uD800x";
        DataPoint p = new DataPoint("id\uDC00", lone, lone, new String[] {lone, "b\uD83D\uDE00"}, new double[] {1, 2});
        String json = ResultJson.result("jms", new Result(p, 0.5, 0.5, Severity.LOW, false, "knn",
                DetectorState.DEGRADED, "failed: " + lone, new Explanation(new double[] {0.5, 0.5}, lone + " 50%")));
        String decoded = StandardCharsets.UTF_8.newDecoder().decode(StandardCharsets.UTF_8.newEncoder()
                .encode(CharBuffer.wrap(json))).toString();
        assertEquals(json, decoded);
        // id, key, timestamp, the reason, the name in features and in attribution, the explanation
        assertEquals(7, decoded.chars().filter(c -> c == 0xFFFD).count(), decoded);
        assertEquals(2, decoded.split("b\uD83D\uDE00", -1).length - 1, decoded);
    }

    /**
     * Scores, rarities and shares are rounded to 6 decimals and written from the rounded integer's digits: the same
     * text as Jackson's own formatting of the rounded double, in plain and in scientific notation alike.
     */
    @Test
    void writeMicros_sameTextAsJacksonWritesTheRoundedDouble() throws Exception {
        JsonFactory fast = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
        java.util.Random random = new java.util.Random(5);
        List<Double> values = new java.util.ArrayList<>(List.of(0.0, -0.0, 1.0, -1.0, 0.001, 0.0009994, 0.0009995,
                0.0005, 0.000001, 0.0000004, 9_999_999.999999, 10_000_000.0, 1e12, 1e-9, 0.1, 0.2, 0.3, 1.0 / 3,
                2.0 / 3, 0.999_999_5, 123.456_789_5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MAX_VALUE, Double.MIN_VALUE));
        for (int i = 0; i < 50_000; i++) {
            double scale = Math.pow(10, random.nextInt(14) - 5);
            values.add((random.nextBoolean() ? 1 : -1) * random.nextDouble() * scale);
            values.add(random.nextInt(1_000_000_000) / 1e6);
        }
        for (double x : values) {
            assertEquals(written(fast, g -> g.writeNumber(Math.round(x * 1e6) / 1e6)),
                    written(fast, g -> ResultJson.writeMicros(g, x)), "x = " + x);
        }
    }

    private static String written(JsonFactory factory, ResultJson.Body body) throws java.io.IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator g = factory.createGenerator(out)) {
            body.write(g);
        }
        return out.toString();
    }

    @Test
    void problem_statusCodeMessage() {
        assertEquals("{\"status\":401,\"error\":\"invalid_api_key\",\"message\":\"the \\\"key\\\" is not valid\"}",
                ResultJson.problem(new InputProblem(401, "invalid_api_key", "the \"key\" is not valid")));
    }

    @Test
    void alert_keyOnlyWhenAboutOneKey() {
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        assertEquals("{\"alert\":\"high_anomaly_rate\",\"message\":\"Anomaly rate: 18.0%\",\"value\":0.18,"
                + "\"threshold\":0.15,\"raisedAt\":\"2026-01-02T03:04:05Z\"}",
                ResultJson.alert(new Alert(Alert.Type.HIGH_ANOMALY_RATE, "Anomaly rate: 18.0%", 0.18, 0.15, at)));
        assertEquals("{\"alert\":\"drift\",\"key\":\"sensor-1\",\"message\":\"Drift on key 'sensor-1'\","
                + "\"value\":2.5,\"threshold\":2.0,\"raisedAt\":\"2026-01-02T03:04:05Z\"}",
                ResultJson.alert(new Alert(Alert.Type.DRIFT, "Drift on key 'sensor-1'", 2.5, 2.0, at, "sensor-1")));
    }
}
