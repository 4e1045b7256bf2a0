package dev.vigil.camel.source.http;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.Rng;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.ServiceVitals;
import dev.vigil.testing.SinkMark;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code /ingest} through the spool, in the running service: every accepted point is scored, in order, exactly as
 * {@code /score} scores the same points, and the spool is empty afterwards.
 *
 * <p>The same readings go to two keys of the same model: to {@code twin-score} through {@code /score}
 * (synchronous, in memory) and to {@code twin-ingest} through {@code /ingest} (spooled to disk, read back,
 * re-batched with other keys' points in between). Each model learns every point it scores, so equal scores at
 * every position mean the spool delivered the same values in the same order.
 */
@QuarkusTest
@TestProfile(TestProfiles.Base.class)
class IngestSpoolTest {
    private static final long SEED = 7301L;
    private static final int REQUESTS = 60;
    static final TestDirs DIRS = TestProfiles.Base.DIRS;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    @Test
    void ingestedPoints_areAllScored_inOrder_likeScore_andTheSpoolEmpties() throws IOException {
        System.out.printf(Locale.ROOT, "IngestSpoolTest: seed %d%n", SEED);
        double receivedBefore = ServiceVitals.metric("vigil_points_received_total", "source=\"http\"");
        SinkMark mark = SinkMark.of(DIRS);
        Rng rng = new Rng(SEED);
        SensorData data = new SensorData(SEED);
        int twins = 0;
        int others = 0;
        for (int r = 0; r < REQUESTS; r++) {
            StringBuilder ingest = new StringBuilder("[");
            StringBuilder score = new StringBuilder("[");
            int size = 1 + rng.nextInt(30); // single points and arrays, some beyond a batch
            for (int i = 0; i < size; i++) {
                double[] v = rng.nextInt(50) == 0 ? data.outlier() : data.normal();
                String sep = i == 0 ? "" : ",";
                ingest.append(sep).append(SensorData.json("i-" + twins, "twin-ingest", v));
                score.append(sep).append(SensorData.json("s-" + twins, "twin-score", v));
                twins++;
                if (rng.nextInt(3) == 0) {
                    ingest.append(',').append(SensorData.json("o-" + others, "spool-other-" + rng.nextInt(4),
                            data.normal()));
                    others++;
                }
            }
            int accepted = ingest.toString().split("\"id\"").length - 1;
            api().contentType("application/json").body(ingest.append(']').toString()).when().post("/api/v1/ingest")
                    .then().statusCode(202).body("accepted", equalTo(accepted));
            api().contentType("application/json").body(score.append(']').toString()).when().post("/api/v1/score")
                    .then().statusCode(200);
        }
        int expected = 2 * twins + others;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> results(mark).size() >= expected);

        Map<String, Map<String, Object>> results = results(mark);
        assertEquals(expected, results.size(), "every id once");
        for (int i = 0; i < others; i++) {
            assertTrue(results.containsKey("o-" + i), "o-" + i + " scored");
        }
        for (int i = 0; i < twins; i++) {
            Map<String, Object> spooled = results.get("i-" + i);
            Map<String, Object> direct = results.get("s-" + i);
            assertEquals("healthy", spooled.get("state"), "i-" + i + " scored by the model");
            assertEquals(direct.get("score"), spooled.get("score"), "point " + i + " scores alike through both ways");
            assertEquals(direct.get("severity"), spooled.get("severity"), "point " + i);
            assertEquals(direct.get("features"), spooled.get("features"), "point " + i + " values");
        }
        System.out.printf(Locale.ROOT, "IngestSpoolTest: %d requests, %d points ingested, all scored as /score scores"
                + " them%n", REQUESTS, twins + others);

        await().atMost(Duration.ofSeconds(10)).until(() -> spoolFiles().isEmpty());
        String metrics = given().when().get(metricsUrl).then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("vigil_ingest_spool_requests 0.0"), "nothing waits: "
                + metrics.lines().filter(l -> l.startsWith("vigil_ingest_spool")).toList());
        assertTrue(metrics.contains("vigil_ingest_spool_write_failures_total 0.0"));
        assertEquals(expected, ServiceVitals.metric("vigil_points_received_total", "source=\"http\"") - receivedBefore,
                "every point counted as received once, ingested (at the door, not again from the spool) or scored");
    }

    private static List<Path> spoolFiles() throws IOException {
        try (Stream<Path> s = Files.list(DIRS.ingestSpool())) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** This test's results in any sink since {@code mark}, by id; an id scored twice fails the test. */
    private static Map<String, Map<String, Object>> results(SinkMark mark) {
        Map<String, Map<String, Object>> byId = new HashMap<>();
        for (Map<String, Object> r : mark.read(DIRS.sink("low"), DIRS.sink("medium"), DIRS.sink("high"),
                DIRS.sink("critical"))) {
            String key = (String) r.get("key");
            if (!key.startsWith("twin-") && !key.startsWith("spool-other-")) {
                continue;
            }
            Map<String, Object> previous = byId.put((String) r.get("id"), r);
            assertEquals(null, previous, "scored twice: " + r.get("id"));
        }
        return byId;
    }
}
