package dev.vigil.camel.source.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * The documented development mode, {@code vigil.security.enabled=false}: no key is needed, the client is the
 * {@code X-Client-Id} header (or {@code anonymous}), and the request limits still hold.
 */
@QuarkusTest
@TestProfile(TestProfiles.KeysOff.class)
class ApiKeysOffTest {
    private static String points(String prefix, int n) {
        SensorData data = new SensorData(n);
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            array.append(i == 0 ? "" : ",").append(SensorData.json(prefix + i, "keys-off-sensor", data.normal()));
        }
        return array.append("]").toString();
    }

    @Test
    void keysOff_noKeyNeeded_clientFromHeader_limitsStillHold() {
        given().contentType("application/json").header("X-Client-Id", "alice").body(points("a-", 10))
                .when().post("/api/v1/score").then().statusCode(200);
        given().contentType("application/json").header("X-Client-Id", "alice").body(points("a2-", 1))
                .when().post("/api/v1/score").then().statusCode(429).body("error", equalTo("rate_limited"));
        given().contentType("application/json").header("X-Client-Id", "bob").body(points("b-", 5))
                .when().post("/api/v1/score").then().statusCode(200);
        given().contentType("application/json").body(points("n-", 5))
                .when().post("/api/v1/score").then().statusCode(200);
        given().contentType("application/json").body(points("n2-", 6))
                .when().post("/api/v1/score").then().statusCode(429);
        given().contentType("text/html").body("<p>").when().post("/api/v1/score").then().statusCode(415);
    }
}
