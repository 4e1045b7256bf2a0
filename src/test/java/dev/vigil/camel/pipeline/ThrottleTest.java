package dev.vigil.camel.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Per-client limits: HTTP refuses with 429 and Retry-After (the client is the API key's name), files are slowed
 * down; other clients go on.
 */
@QuarkusTest
@TestProfile(TestProfiles.EarlierRun.class)
class ThrottleTest {
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    static final TestDirs DIRS = TestProfiles.EarlierRun.DIRS;
    static final int HTTP_LIMIT = TestProfiles.EarlierRun.HTTP_MAX_PER_MINUTE;
    static final int FILE_LIMIT = TestProfiles.EarlierRun.FILE_MAX_PER_MINUTE;

    /** A request with this test's key, whose client (its rate limit) no other test uses. */
    private static RequestSpecification throttled() {
        return given().header(TestApiKeys.HEADER, TestApiKeys.THROTTLED_KEY);
    }

    private static String points(String prefix, int n) {
        return SensorData.jsonArray(prefix, "throttle-sensor", n);
    }

    /**
     * The client is the name of the caller's API key: one key over its limit gets 429, another key goes on, and
     * a header the caller chooses (X-Client-Id) does not make a new client.
     */
    @Test
    void http_keyOverItsLimit_gets429WithRetryAfter_otherKeyUnaffected() {
        double rateLimitedBefore = metric("vigil_security_events_total{type=\"rate_limited\"}");
        throttled().contentType("application/json").body(points("g-", HTTP_LIMIT))
                .when().post("/api/v1/score").then().statusCode(200);
        // The bucket refills two points a second: asking for 60 more keeps the test true on a slow machine (30 s).
        String retryAfter = throttled().contentType("application/json")
                .body(points("g2-", HTTP_LIMIT / 2)).when().post("/api/v1/score")
                .then().statusCode(429).body("error", equalTo("rate_limited"))
                .extract().header("Retry-After");
        assertTrue(Integer.parseInt(retryAfter) >= 1, "Retry-After " + retryAfter);
        throttled().contentType("application/json").header("X-Client-Id", "someone-else").body(points("g3-", HTTP_LIMIT / 2))
                .when().post("/api/v1/score").then().statusCode(429);
        given().header(TestApiKeys.HEADER, TestApiKeys.HASHED_KEY).contentType("application/json").body(points("m-", 5))
                .when().post("/api/v1/ingest").then().statusCode(202).body("accepted", equalTo(5));
        String metrics = given().when().get(metricsUrl).then().extract().asString();
        assertTrue(metrics.contains("vigil_points_throttled_total{source=\"http\"}"), metrics);
        assertEquals(2.0, metric("vigil_security_events_total{type=\"rate_limited\"}") - rateLimitedBefore,
                "rate_limited security events");
    }

    private double metric(String series) {
        String text = given().when().get(metricsUrl).then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void file_clientOverItsLimit_isSlowedNotDropped_otherFileUnaffected() {
        // 1,200 points per minute: the first 1,200 pass at once, the next 200 at 20 per second (about 10 s). Seen
        // 1,100 in after T s, big.csv has 10 - T s of throttling left (the bucket refills meanwhile): room for small.csv
        // (up to 3 s) while T stays under 7 s, on a loaded machine too.
        SensorData data = new SensorData(9);
        StringBuilder big = new StringBuilder(SensorData.CSV_HEADER).append('\n');
        for (int i = 0; i < FILE_LIMIT + 200; i++) {
            big.append(SensorData.csv("big-" + i, "throttle-file", data.normal())).append('\n');
        }
        StringBuilder small = new StringBuilder(SensorData.CSV_HEADER).append('\n');
        for (int i = 0; i < 50; i++) {
            small.append(SensorData.csv("small-" + i, "throttle-file-2", data.normal())).append('\n');
        }
        long start = System.nanoTime();
        SensorData.drop(DIRS.inbox(), "big.csv", big.toString());
        await().atMost(Duration.ofSeconds(7)).until(() -> Files.exists(DIRS.sink("low"))
                && Files.readString(DIRS.sink("low")).contains("big-1100"));
        SensorData.drop(DIRS.inbox(), "small.csv", small.toString());
        await().atMost(Duration.ofSeconds(3)).until(() -> Files.exists(DIRS.inbox().resolve(".done/small.csv")));
        assertTrue(!Files.exists(DIRS.inbox().resolve(".done/big.csv")), "big.csv should still be throttled");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(DIRS.inbox().resolve(".done/big.csv")));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds >= 3, "big.csv took " + seconds + " s; over its limit it must be slowed");
        String low = given().when().get(metricsUrl).then().extract().asString();
        assertTrue(low.contains("vigil_points_throttled_total{source=\"file\"}"), low);
    }

    /**
     * Invalid points count against a file's limit like valid ones, and before validation: a file of invalid rows
     * only, 100 over the limit, is slowed down too (it was read at full speed, none of its points charged).
     */
    @Test
    void file_invalidPointsOverTheLimit_slowedLikeValidOnes() {
        StringBuilder invalid = new StringBuilder("id,key,temperature\n");
        for (int i = 0; i < FILE_LIMIT + 100; i++) {
            invalid.append("invalid-").append(i).append(",throttle-invalid,warm\n");
        }
        double throttledBefore = metric("vigil_points_throttled_total{source=\"file\"}");
        SensorData.drop(DIRS.inbox(), "invalid.csv", invalid.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(DIRS.inbox().resolve(".done/invalid.csv")));
        double throttled = metric("vigil_points_throttled_total{source=\"file\"}") - throttledBefore;
        assertTrue(throttled >= 100, throttled + " invalid points throttled");
    }
}
