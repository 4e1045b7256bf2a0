package dev.vigil.ops;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees, through the real HTTP server: metrics and health on the management port only, an alert
 * delivered to the alerts sink and shown in health and status, and the status document. (The profile raises the
 * "low anomaly rate" alert once 50 points have been scored, whichever test scored them, and only once a run.)
 */
@QuarkusTest
@TestProfile(TestProfiles.EarlierRun.class)
class OperationsTest {
    static final Path ALERTS = TestProfiles.EarlierRun.ALERTS;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/well", management = true)
    URL well;

    @TestHTTPResource("/q/metrics")
    URL metricsOnApiPort;

    private static String points(int n) {
        Random random = new Random(7);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"key\":\"ops\",\"id\":\"p").append(i).append("\",\"cpu\":")
                    .append(50 + random.nextGaussian()).append(",\"mem\":").append(70 + random.nextGaussian())
                    .append('}');
        }
        return sb.append(']').toString();
    }

    @Test
    void alert_conditionMet_deliveredToSinkAndShownInHealthStatusAndMetrics() {
        double scoredBefore = scoredFromHttp(given().when().get(metrics).then().statusCode(200).extract().asString());
        api().contentType("application/json").body(points(TestProfiles.EarlierRun.ALERT_WINDOW + 10)).when()
                .post("/api/v1/score").then().statusCode(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> JsonLines.read(ALERTS).stream()
                .anyMatch(a -> "low_anomaly_rate".equals(a.get("alert"))));
        Map<String, Object> alert = JsonLines.read(ALERTS).stream()
                .filter(a -> "low_anomaly_rate".equals(a.get("alert"))).findFirst().orElseThrow();
        assertTrue(alert.get("message").toString().startsWith("Anomaly rate"), alert.toString());

        // About the data, not a failure: shown, but the service can do its job, so health stays UP.
        given().when().get(well).then().statusCode(200)
                .body("checks.find { it.name == 'vigil-monitoring' }.data.status", equalTo("warning"))
                .body("checks.find { it.name == 'vigil-monitoring' }.data.alerts", equalTo("low_anomaly_rate"));
        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"));

        api().when().get("/api/v1/status").then().statusCode(200)
                .body("status", equalTo("warning"))
                .body("detector", equalTo("healthy"))
                .body("breaker", equalTo("closed"))
                .body("processed.scored", greaterThanOrEqualTo(60))
                .body("pipelines.stages", hasItem("isolation_forest"))
                .body("pipelines.stages", hasItem("zscore"))
                .body("keys.live", greaterThanOrEqualTo(1))
                .body("memory.modelBytes", greaterThanOrEqualTo(1))
                .body("alerts.active.alert", hasItem("low_anomaly_rate"));

        String text = given().when().get(metrics).then().statusCode(200).extract().asString();
        for (String series : new String[] {"vigil_points_received_total{source=\"http\"}",
            "vigil_breaker_state{state=\"closed\"} 1.0", "vigil_alerts_raised_total{type=\"low_anomaly_rate\"} 1.0",
            "vigil_alerts_active ", "vigil_detection_duration_seconds_count", "vigil_model_memory_bytes",
            "vigil_process_resident_memory_bytes", "vigil_checkpoint_age_seconds",
            "camel_exchanges_total"}) {
            assertTrue(text.contains(series), "missing " + series);
        }
        assertEquals(60.0, scoredFromHttp(text) - scoredBefore, "points out per source, summed over severities");
    }

    private static double scoredFromHttp(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("vigil_points_scored_total{") && l.contains("source=\"http\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * The admin client sees every client's recent events, another client only its own (an unknown caller's address
     * is not its business), and everyone the counts; no key is ever shown.
     */
    @Test
    void status_securitySummary_countsRefusalsWithoutSecrets_eventsOnlyToTheirClientOrAnAdmin() {
        given().header(TestApiKeys.HEADER, "wrong-key-31f7").when().get("/api/v1/status").then().statusCode(401);

        String body = api().when().get("/api/v1/status").then().statusCode(200)
                .body("security.byType.invalid_api_key", greaterThanOrEqualTo(1))
                .body("security.recent.type", hasItem("invalid_api_key"))
                .extract().asString();
        assertFalse(body.contains("wrong-key-31f7"), "a refused key is never shown");
        assertFalse(body.contains(TestApiKeys.KEY), "a configured key is never shown");
        given().header(TestApiKeys.HEADER, TestApiKeys.HASHED_KEY).when().get("/api/v1/status").then().statusCode(200)
                .body("security.byType.invalid_api_key", greaterThanOrEqualTo(1))
                .body("security.recent.type", not(hasItem("invalid_api_key")));
    }

    @Test
    void managementEndpoints_notOnTheApiPort() {
        given().when().get(metricsOnApiPort).then().statusCode(404);
    }
}
