package dev.vigil.ops;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.checkpoint.CheckpointFixture;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged configuration finds checkpoints written by an earlier run in its folder, refuses a damaged one
 * without failing, and restores the keys before the sources start: the first point of a restored key meets its
 * warm model.
 */
@QuarkusTest
@TestProfile(CheckpointStartupTest.Profile.class)
class CheckpointStartupTest {
    static final TestDirs DIRS = new TestDirs("checkpoint-startup");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(DIRS.overrides());
            c.putAll(TestApiKeys.overrides());
            // Written before the application starts, as a previous run would have left them.
            CheckpointFixture.writeEarlierRun(DIRS.checkpoints(), "turbine-7", 300);
            CheckpointFixture.writeDamaged(DIRS.checkpoints(), "turbine-9");
            c.put("vigil.throttle.max-per-minute", "0");
            return c;
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void start_earlierCheckpoints_restoredBeforeTheFirstPoint() {
        api().when().get("/api/v1/status").then().statusCode(200)
                .body("checkpoints.restored", equalTo(1))
                .body("keys.live", equalTo(1));
        String text = given().when().get(metrics).then().extract().asString();
        assertTrue(text.contains("vigil_checkpoint_refused_total{reason=\"checksum\"} 1.0"), "damaged file refused");

        double expected = CheckpointFixture.nextScore("turbine-7", 300);
        float actual = api().contentType("application/json").body(CheckpointFixture.nextPointJson("turbine-7", 300))
                .when().post("/api/v1/score").then().statusCode(200).extract().path("results[0].score");
        assertEquals(expected, actual, 1e-6, "the restored model scores the next point as the earlier run would");
    }
}
