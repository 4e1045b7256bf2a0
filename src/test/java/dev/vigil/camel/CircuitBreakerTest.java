package dev.vigil.camel;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.FlakyModels;
import dev.vigil.testing.JsonLines;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The circuit breaker around detection, with a test-only model selected by configuration that fails or stalls
 * when told to (on a fixed schedule, never at random). A short breaker delay keeps the test quick.
 */
@QuarkusTest
@TestProfile(CircuitBreakerTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CircuitBreakerTest {
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    static final TestDirs DIRS = new TestDirs("breaker");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(DIRS.overrides());
            c.putAll(TestApiKeys.overrides());
            c.put("vigil.model.type", "test_flaky");
            c.put("vigil.fallback.model", "test_flaky_fallback");
            c.put("vigil.breaker.request-volume", "4");
            c.put("vigil.breaker.failure-ratio", "50");
            c.put("vigil.breaker.delay", "1500");
            c.put("vigil.breaker.timeout", "1000");
            c.put("vigil.throttle.max-per-minute", "0");
            return c;
        }
    }

    private static int sequence;

    private static ValidatableResponse score() {
        String id = "b-" + sequence++;
        return api().contentType("application/json")
                .body("{\"id\":\"" + id + "\",\"key\":\"breaker-sensor\",\"a\":" + (sequence % 7) + ",\"b\":1.5}")
                .when().post("/api/v1/score").then();
    }

    @AfterEach
    void reset() {
        FlakyModels.reset();
    }

    @Test
    @Order(1)
    void healthyModel_answersHealthy() {
        score().statusCode(200).body("results[0].state", equalTo("healthy"))
                .body("results[0].model", equalTo("test_flaky"));
    }

    @Test
    @Order(2)
    void failingModel_fallbackAnswersDegraded_thenBreakerOpens_thenClosesAfterDelay() {
        FlakyModels.primary = FlakyModels.Mode.FAIL;
        score().statusCode(200).body("results[0].state", equalTo("degraded"))
                .body("results[0].model", equalTo("test_flaky_fallback"))
                .body("results[0].fallbackReason", startsWith("error: IllegalStateException: injected failure"));
        // Within the window of 4 batches, a failure ratio of 50 % opens the breaker.
        boolean opened = false;
        for (int i = 0; i < 4 && !opened; i++) {
            String reason = score().statusCode(200).body("results[0].state", equalTo("degraded"))
                    .extract().path("results[0].fallbackReason");
            opened = reason.equals("circuit_open");
        }
        assertTrue(opened, "the breaker did not open");
        // The model works again, but the breaker is open: the fallback answers without trying it.
        FlakyModels.primary = FlakyModels.Mode.OK;
        score().statusCode(200).body("results[0].state", equalTo("degraded"))
                .body("results[0].fallbackReason", equalTo("circuit_open"));
        // After the delay, a trial batch succeeds and the breaker closes.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                score().statusCode(200).body("results[0].state", equalTo("healthy")));
        String metrics = given().when().get(metricsUrl).then().extract().asString();
        assertTrue(metrics.contains("vigil_fallback_batches_total{reason=\"circuit_open\"}"), metrics);
        assertTrue(metrics.contains("vigil_points_scored_total{severity=\"low\",source=\"http\",state=\"degraded\"}"));
    }

    @Test
    @Order(3)
    void stalledModel_timesOut_fallbackAnswersWithinTheTimeout() {
        FlakyModels.primary = FlakyModels.Mode.SLOW;
        long start = System.nanoTime();
        score().statusCode(200).body("results[0].state", equalTo("degraded"))
                .body("results[0].fallbackReason", equalTo("timeout"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2500, "the fallback answered after " + millis + " ms; the model stalls 3000 ms");
        FlakyModels.primary = FlakyModels.Mode.OK;
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                score().statusCode(200).body("results[0].state", equalTo("healthy")));
    }

    @Test
    @Order(4)
    void fallbackFailingToo_batchIsDeadLetteredAsFailed() {
        FlakyModels.primary = FlakyModels.Mode.FAIL;
        FlakyModels.fallbackFails = true;
        String id = "b-" + sequence;
        score().statusCode(503).body("results[0].state", equalTo("failed"))
                .body("results[0].fallbackReason", startsWith("fallback failed: IllegalStateException"));
        await().atMost(Duration.ofSeconds(10)).until(() -> JsonLines.read(DIRS.deadLetter()).stream()
                .anyMatch(d -> d.get("record") instanceof Map<?, ?> r && id.equals(r.get("id"))));
        Map<String, Object> letter = JsonLines.read(DIRS.deadLetter()).stream()
                .filter(d -> d.get("record") instanceof Map<?, ?> r && id.equals(r.get("id")))
                .findFirst().orElseThrow();
        assertEquals("detection", letter.get("sink"));
        assertEquals("failed", ((Map<?, ?>) letter.get("record")).get("state"));
    }
}
