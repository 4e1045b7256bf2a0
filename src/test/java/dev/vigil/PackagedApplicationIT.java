package dev.vigil;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged artifact as users run it (the jar here; the native binary with {@code -Dnative}), started by
 * Quarkus in its production profile: ready on the management port, the API behind its keys, the inbox and file
 * sinks working from the routes folder it is started beside.
 */
@QuarkusIntegrationTest
@TestProfile(PackagedApplicationIT.Profile.class)
class PackagedApplicationIT {
    static final TestDirs DIRS = new TestDirs("packaged");
    static final int MANAGEMENT_PORT = freePort();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(DIRS.overrides());
            c.putAll(TestApiKeys.overrides());
            c.put("quarkus.management.port", Integer.toString(MANAGEMENT_PORT));
            c.put("quarkus.management.test-port", Integer.toString(MANAGEMENT_PORT));
            return c;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String management(String path) {
        return "http://localhost:" + MANAGEMENT_PORT + path;
    }

    @Test
    void packaged_readyAndMeasured_onTheManagementPort() {
        given().when().get(management("/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
        given().when().get(management("/q/health/live")).then().statusCode(200);
        String metrics = given().when().get(management("/q/metrics")).then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("vigil_entities "), "Vigil's own metrics are registered");
        given().when().get("/q/health/ready").then().statusCode(404);
    }

    @Test
    void packaged_api_scoresWithAKey_refusesWithout() {
        api().contentType("application/json").body("[{\"id\":\"a\",\"key\":\"it-1\",\"cpu\":1.5,\"mem\":3.0},"
                + "{\"id\":\"b\",\"key\":\"it-1\",\"cpu\":1.6,\"mem\":3.1}]")
                .when().post("/api/v1/score").then().statusCode(200)
                .body("results", hasSize(2)).body("results[0].state", equalTo("healthy"));
        given().contentType("application/json").body("{\"key\":\"it-1\",\"cpu\":1}")
                .when().post("/api/v1/score").then().statusCode(401).body("error", equalTo("missing_api_key"));
    }

    @Test
    void packaged_inbox_fileScoredIntoTheSinks() throws IOException {
        StringBuilder csv = new StringBuilder("id,key,temperature,pressure\n");
        for (int i = 0; i < 200; i++) {
            csv.append("r").append(i).append(",it-file,").append(20 + i % 3).append(',').append(1000 + i % 7).append('\n');
        }
        Path staged = DIRS.base().resolve("readings.csv");
        Files.writeString(staged, csv);
        Files.move(staged, DIRS.inbox().resolve("readings.csv"));

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(DIRS.inbox().resolve(".done/readings.csv")));
        long results = 0;
        for (String severity : List.of("low", "medium", "high", "critical")) {
            results += JsonLines.read(DIRS.sink(severity)).stream().filter(r -> "it-file".equals(r.get("key"))).count();
        }
        assertEquals(200, results, "one result per row, across the severity sinks");
    }
}
