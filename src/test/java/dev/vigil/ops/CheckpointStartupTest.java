package dev.vigil.ops;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.checkpoint.CheckpointFixture;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The packaged configuration finds checkpoints written by an earlier run in its folder (the profile writes them
 * before the application starts), refuses a damaged one without failing, and restores the keys before the sources
 * start: the key counts as restored before any point of it came, and its first point meets its warm model.
 */
@QuarkusTest
@TestProfile(TestProfiles.EarlierRun.class)
class CheckpointStartupTest {
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void start_earlierCheckpoints_restoredBeforeTheFirstPoint() {
        // No point of the key has come (no other test sends it): restored at start, not on its first point.
        api().when().get("/api/v1/status").then().statusCode(200)
                .body("checkpoints.restored", equalTo(1))
                .body("keys.live", greaterThanOrEqualTo(1));
        String text = given().when().get(metrics).then().extract().asString();
        assertTrue(text.contains("vigil_checkpoint_refused_total{reason=\"checksum\"} 1.0"), "damaged file refused");

        String key = TestProfiles.EarlierRun.RESTORED_KEY;
        int points = TestProfiles.EarlierRun.RESTORED_POINTS;
        double expected = CheckpointFixture.nextScore(key, points);
        float actual = api().contentType("application/json").body(CheckpointFixture.nextPointJson(key, points))
                .when().post("/api/v1/score").then().statusCode(200).extract().path("results[0].score");
        assertEquals(expected, actual, 1e-6, "the restored model scores the next point as the earlier run would");
    }
}
