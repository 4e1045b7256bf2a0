package dev.vigil.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.detect.Severity;
import dev.vigil.service.DataPoint;
import dev.vigil.service.DetectorState;
import dev.vigil.service.Explanation;
import dev.vigil.service.Result;
import dev.vigil.service.SecurityEvent;
import dev.vigil.service.SecurityEvents;
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
        assertEquals("{\"id\":\"r-1\",\"key\":\"sensor-1\",\"source\":\"http\",\"score\":0.95,\"severity\":"
                + "\"critical\",\"isAnomaly\":true,\"model\":\"knn\",\"state\":\"healthy\",\"features\":"
                + "{\"temperature\":95.0,\"pressure\":1000.0},\"attribution\":{\"temperature\":0.812346,"
                + "\"pressure\":0.187654},\"explanation\":\"temperature 81%, pressure 19%\"}",
                ResultJson.result("http", new Result(p, 0.95, Severity.CRITICAL, true, "knn", DetectorState.HEALTHY,
                        null, why)));
        assertEquals("{\"id\":\"r-1\",\"key\":\"sensor-1\",\"source\":\"http\",\"score\":0.2,\"severity\":"
                + "\"low\",\"isAnomaly\":false,\"model\":\"knn\",\"state\":\"healthy\",\"features\":"
                + "{\"temperature\":95.0,\"pressure\":1000.0}}",
                ResultJson.result("http", new Result(p, 0.2, Severity.LOW, false, "knn", DetectorState.HEALTHY, null)));
    }

    @Test
    void problem_statusCodeMessage() {
        assertEquals("{\"status\":401,\"error\":\"invalid_api_key\",\"message\":\"the \\\"key\\\" is not valid\"}",
                ResultJson.problem(new InputProblem(401, "invalid_api_key", "the \"key\" is not valid")));
    }
}
