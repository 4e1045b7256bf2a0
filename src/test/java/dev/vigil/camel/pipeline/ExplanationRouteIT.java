package dev.vigil.camel.pipeline;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.ParallelSafe;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.VigilProcess;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Explanations over HTTP, in the packaged jar (knn with scaler, explained from medium, the default): a critical
 * result carries {@code attribution} and {@code explanation}, naming first the one feature that is off, in the answer
 * and in the critical sink; a low result carries neither. (One feature far off is critical for knn; the isolation
 * forest, at three features, calls it medium. knn with a scaler in front is also a model whose explanations pass back
 * through a transform.)
 */
@ParallelSafe
class ExplanationRouteIT {
    static final TestDirs DIRS = new TestDirs("knn");
    private static VigilProcess vigil;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> config = new HashMap<>(DIRS.overrides());
        config.put("vigil.model.type", "knn");
        config.put("vigil.preprocessing", "scaler");
        vigil = VigilProcess.start("knn", DIRS.base().resolve("run"), config);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (vigil != null) {
            vigil.close();
        }
    }

    private static RequestSpecification api() {
        return RestAssured.given().baseUri(vigil.api("/").toString()).header(TestApiKeys.HEADER, TestApiKeys.KEY);
    }

    @Test
    void score_criticalAndLow_onlyCriticalExplained() {
        SensorData data = new SensorData(21);
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < 500; i++) {
            array.append(i == 0 ? "" : ",").append(SensorData.json("e-" + i, "explained-sensor", data.normal()));
        }
        api().contentType("application/json").body(array.append("]").toString())
                .when().post("/api/v1/score").then().statusCode(200).body("results", hasSize(500));

        // Humidity alone far off: 50 is ordinary, with a spread of 3.
        double[] spike = data.normal();
        spike[2] = 120;
        api().contentType("application/json").body(SensorData.json("e-spike", "explained-sensor", spike))
                .when().post("/api/v1/score")
                .then().statusCode(200)
                .body("results[0].severity", equalTo("critical"))
                .body("results[0].explanation", startsWith("humidity "));
        JsonPath critical = JsonPath.from(api().contentType("application/json")
                .body(SensorData.json("e-spike-2", "explained-sensor", spike))
                .when().post("/api/v1/score").then().statusCode(200).extract().asString());
        Map<String, Float> attribution = critical.getMap("results[0].attribution");
        assertEquals(Set.of("temperature", "pressure", "humidity"), attribution.keySet());
        double sum = 0;
        for (Float share : attribution.values()) {
            assertTrue(share >= 0, attribution.toString());
            sum += share;
        }
        assertEquals(1.0, sum, 1e-4);
        assertTrue(attribution.get("humidity") > attribution.get("temperature")
                && attribution.get("humidity") > attribution.get("pressure"), attribution.toString());

        JsonPath low = JsonPath.from(api().contentType("application/json")
                .body(SensorData.json("e-normal", "explained-sensor", new double[] {20.1, 1000.5, 50.2}))
                .when().post("/api/v1/score").then().statusCode(200).extract().asString());
        assertEquals("low", low.getString("results[0].severity"));
        assertFalse(low.getMap("results[0]").containsKey("attribution"));
        assertFalse(low.getMap("results[0]").containsKey("explanation"));

        Map<String, Object> written = await().atMost(Duration.ofSeconds(30)).until(
                () -> JsonLines.read(DIRS.sink("critical")).stream().filter(r -> "e-spike".equals(r.get("id")))
                        .findFirst().orElse(null), r -> r != null);
        assertTrue(((String) written.get("explanation")).startsWith("humidity "), written.toString());
        assertTrue(written.containsKey("attribution"), written.toString());
    }
}
