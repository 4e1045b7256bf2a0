package dev.vigil.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
