package dev.vigil.camel.pipeline;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.FlakyModels;
import dev.vigil.testing.JsonLines;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The circuit breaker around detection, with a test-only model selected by configuration that fails or stalls
 * when told to (on a fixed schedule, never at random). The profile's breaker is quick: a window of 4 batches, 50 %
 * failures open it, 1,000 ms is a timeout, it stays open 1,500 ms, and two successful trial batches close it. For a
 * throwing and for a stalling model alike: the fallback answers at once (results degraded, with the reason), the
 * breaker opens, and after its delay it goes half-open (two trials are needed, so that state can be seen), then
 * closed, with healthy results again.
 */
@QuarkusTest
@TestProfile(TestProfiles.TestModels.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CircuitBreakerTest {
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    static final TestDirs DIRS = TestProfiles.TestModels.DIRS;
    static final String KEY = "breaker-sensor";

    private static int sequence;

    /** One point, scored low by the test models (its first feature). */
    private static ValidatableResponse score() {
        String id = "b-" + sequence++;
        return api().contentType("application/json")
                .body("{\"id\":\"" + id + "\",\"key\":\"" + KEY + "\",\"a\":" + TestProfiles.TestModels.LOW
                        + ",\"b\":" + (sequence % 7) + "}")
                .when().post("/api/v1/score").then();
    }

    /** Each test starts, and leaves the profile's other tests, with the models working and the breaker closed. */
    @BeforeEach
    @AfterEach
    void recover() {
        FlakyModels.recover();
    }

    private static String breaker() {
        return api().when().get("/api/v1/status").then().statusCode(200).extract().path("breaker");
    }

    /** Scores while the model misbehaves until the breaker answers circuit_open; returns the batches it took. */
    private static int scoreUntilOpen(String firstReason) {
        for (int batch = 1; batch <= 8; batch++) {
            String reason = score().statusCode(200).body("results[0].state", equalTo("degraded"))
                    .body("results[0].model", equalTo("test_flaky_fallback"))
                    .extract().path("results[0].fallbackReason");
            if (reason.equals("circuit_open")) {
                // (The breaker's own state is not asked here: a timer makes it half-open once the delay has passed,
                // which a loaded machine may reach before the next request.)
                return batch;
            }
            assertTrue(reason.startsWith(firstReason), reason);
        }
        throw new AssertionError("the breaker did not open within 8 batches");
    }

    /**
     * With the model working again: once the delay has passed, the first batch is a trial (healthy, the breaker
     * half-open), the second closes it. Returns the ms from the call to the first healthy result.
     */
    private long assertRecoversThroughHalfOpen() {
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                score().statusCode(200).body("results[0].state", equalTo("healthy")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("half_open", breaker(), "one successful trial of the two needed");
        String metrics = given().when().get(metricsUrl).then().extract().asString();
        assertTrue(metrics.contains("vigil_breaker_state{state=\"half_open\"} 1.0"), metrics);
        score().statusCode(200).body("results[0].state", equalTo("healthy"))
                .body("results[0].model", equalTo("test_flaky"));
        assertEquals("closed", breaker());
        score().statusCode(200).body("results[0].state", equalTo("healthy"));
        return millis;
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
        assertEquals("closed", breaker());
        FlakyModels.primary = FlakyModels.Mode.FAIL;
        score().statusCode(200).body("results[0].state", equalTo("degraded"))
                .body("results[0].model", equalTo("test_flaky_fallback"))
                .body("results[0].fallbackReason", startsWith("error: IllegalStateException: injected failure"));
        // Within the window of 4 batches, a failure ratio of 50 % opens the breaker.
        int batches = 1 + scoreUntilOpen("error: IllegalStateException: injected failure");
        // The model works again, but the breaker is open: the fallback answers without trying it.
        FlakyModels.primary = FlakyModels.Mode.OK;
        score().statusCode(200).body("results[0].state", equalTo("degraded"))
                .body("results[0].fallbackReason", equalTo("circuit_open"));
        // After the delay, trial batches succeed: half-open, then closed.
        long recovered = assertRecoversThroughHalfOpen();
        System.out.printf(Locale.ROOT, "CircuitBreakerTest: throwing model: open after %d batches, healthy again %d ms"
                + " after the model recovered (breaker delay 1500 ms)%n", batches, recovered);
        String metrics = given().when().get(metricsUrl).then().extract().asString();
        assertTrue(metrics.contains("vigil_fallback_batches_total{reason=\"circuit_open\"}"), metrics);
        assertTrue(metrics.contains("vigil_points_scored_total{severity=\"low\",source=\"http\",state=\"degraded\"}"));
    }

    @Test
    @Order(3)
    void stalledModel_timesOut_fallbackAnswersWithinTheTimeout_breakerOpens_thenRecovers() {
        assertEquals("closed", breaker());
        FlakyModels.primary = FlakyModels.Mode.SLOW;
        long start = System.nanoTime();
        score().statusCode(200).body("results[0].state", equalTo("degraded"))
                .body("results[0].model", equalTo("test_flaky_fallback"))
                .body("results[0].fallbackReason", equalTo("timeout"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2500, "the fallback answered after " + millis + " ms; the model stalls 3000 ms");
        // Timeouts count as failures: the breaker opens as it does for a throwing model.
        int batches = 1 + scoreUntilOpen("timeout");
        FlakyModels.primary = FlakyModels.Mode.OK;
        long recovered = assertRecoversThroughHalfOpen();
        System.out.printf(Locale.ROOT, "CircuitBreakerTest: stalling model: first fallback answer after %d ms (timeout"
                + " 1000 ms, stall 3000 ms), open after %d batches, healthy again %d ms after the model recovered%n",
                millis, batches, recovered);
        String metrics = given().when().get(metricsUrl).then().extract().asString();
        assertTrue(metrics.contains("vigil_fallback_batches_total{reason=\"timeout\"}"), metrics);
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
