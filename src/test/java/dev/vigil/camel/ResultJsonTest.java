package dev.vigil.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.service.Alert;
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
