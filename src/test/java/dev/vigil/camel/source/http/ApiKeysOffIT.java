package dev.vigil.camel.source.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.vigil.testing.ParallelSafe;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.VigilProcess;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The documented development mode, {@code vigil.security.enabled=false}, in the packaged jar: no key is needed, the
 * client is the {@code X-Client-Id} header (or {@code anonymous}), and the request limits still hold.
 */
@ParallelSafe
class ApiKeysOffIT {
    private static final TestDirs DIRS = new TestDirs("keys-off");
    private static final int MAX_PER_MINUTE = 10;

    private static String points(String prefix, int n) {
        return SensorData.jsonArray(prefix, "keys-off-sensor", n);
    }

    @Test
    void keysOff_noKeyNeeded_clientFromHeader_limitsStillHold() throws Exception {
        Map<String, String> config = new HashMap<>(DIRS.overrides());
        config.put("vigil.security.enabled", "false");
        config.put("vigil.throttle.max-per-minute", Integer.toString(MAX_PER_MINUTE));
        try (VigilProcess p = VigilProcess.start("keys-off", DIRS.base().resolve("run"), config)) {
            RequestSpecification api = new RequestSpecBuilder().setBaseUri(p.api("/").toString()).build();
            given(api).contentType("application/json").header("X-Client-Id", "alice").body(points("a-", 10))
                    .when().post("/api/v1/score").then().statusCode(200);
            given(api).contentType("application/json").header("X-Client-Id", "alice").body(points("a2-", 1))
                    .when().post("/api/v1/score").then().statusCode(429).body("error", equalTo("rate_limited"));
            given(api).contentType("application/json").header("X-Client-Id", "bob").body(points("b-", 5))
                    .when().post("/api/v1/score").then().statusCode(200);
            given(api).contentType("application/json").body(points("n-", 5))
                    .when().post("/api/v1/score").then().statusCode(200);
            given(api).contentType("application/json").body(points("n2-", 6))
                    .when().post("/api/v1/score").then().statusCode(429);
            given(api).contentType("text/html").body("<p>").when().post("/api/v1/score").then().statusCode(415);
        }
    }
}
