package dev.vigil.camel.source.http;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.camel.parse.JsonPoints;
import dev.vigil.service.security.SecurityEvent;
import dev.vigil.service.security.SecurityEvents;
import dev.vigil.testing.Http;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.SinkMark;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestProfiles;
import dev.vigil.testing.TestUrls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;

/**
 * API keys and request limits on the real HTTP server: who gets in (a key configured in plain or as a hash),
 * who is refused and how (401, 413 with and without a declared length, 415, 400 with the rule named), and that
 * every refusal becomes a counted security event without the key in it.
 */
@QuarkusTest
@TestProfile(TestProfiles.Base.class)
class ApiSecurityTest {
    static final TestDirs DIRS = TestProfiles.Base.DIRS;
    static final int MAX_BODY = TestProfiles.Base.MAX_BODY;
    static final int MAX_POINTS = TestProfiles.Base.MAX_POINTS;

    @Inject
    SecurityEvents events;

    @Inject
    CamelContext camel;

    private static String point(String id) {
        return SensorData.json(id, "security-sensor", new SensorData(id.hashCode()).normal());
    }

    private long count(SecurityEvent.Type type) {
        return events.summary().byType().get(type.label());
    }

    @Test
    void noKey_401WithChallengeAndJsonProblem_eventRecorded() {
        long before = count(SecurityEvent.Type.MISSING_API_KEY);
        given().contentType("application/json").body(point("s-nokey")).when().post("/api/v1/score")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("X-API-Key"))
                .contentType("application/json")
                .body("status", equalTo(401)).body("error", equalTo("missing_api_key"))
                .body("message", containsString("X-API-Key"));
        given().contentType("application/json").header(TestApiKeys.HEADER, "").body(point("s-empty"))
                .when().post("/api/v1/ingest").then().statusCode(401).body("error", equalTo("missing_api_key"));
        assertEquals(before + 2, count(SecurityEvent.Type.MISSING_API_KEY));
        SecurityEvent last = events.summary().recent().get(events.summary().recent().size() - 1);
        assertEquals("unknown", last.client());
        assertEquals("127.0.0.1", last.remoteAddress());
    }

    @Test
    void wrongKey_401_eventWithoutTheKey() {
        long before = count(SecurityEvent.Type.INVALID_API_KEY);
        for (String wrong : List.of("wrong-key-0123", TestApiKeys.KEY + "x", TestApiKeys.sha256Hex(TestApiKeys.HASHED_KEY))) {
            given().contentType("application/json").header(TestApiKeys.HEADER, wrong).body(point("s-wrong"))
                    .when().post("/api/v1/score").then().statusCode(401)
                    .header("WWW-Authenticate", containsString("ApiKey"))
                    .body("error", equalTo("invalid_api_key"));
        }
        assertEquals(before + 3, count(SecurityEvent.Type.INVALID_API_KEY));
        assertTrue(events.kept().stream().noneMatch(e -> e.detail().contains("wrong-key") || e.client().contains("wrong")));
    }

    @Test
    void keyConfiguredInPlainOrAsHash_200_clientIsTheKeysName() throws IOException {
        api().contentType("application/json").body(point("s-plain")).when().post("/api/v1/score")
                .then().statusCode(200).body("results[0].id", equalTo("s-plain"));
        given().header(TestApiKeys.HEADER, TestApiKeys.HASHED_KEY).contentType("application/json").body(point("s-hashed"))
                .when().post("/api/v1/score").then().statusCode(200).body("results[0].id", equalTo("s-hashed"));

        // The client in rejection records is the key's name: never the key, never what the caller claims.
        SinkMark mark = SinkMark.of(DIRS.rejected());
        api().contentType("application/json").header(ApiGate.CLIENT_HEADER, "admin").header("X-Client-Id", "admin")
                .body("{\"id\":\"s-named\",\"key\":\"security-sensor\",\"temperature\":\"warm\",\"pressure\":1,\"humidity\":1}")
                .when().post("/api/v1/score").then().statusCode(400)
                .body("rejected[0].client", equalTo(TestApiKeys.CLIENT));
        await().atMost(Duration.ofSeconds(10)).until(() -> String.join("\n", mark.lines(DIRS.rejected())).contains("s-named"));
        String rejected = String.join("\n", mark.lines(DIRS.rejected()));
        assertTrue(rejected.contains("\"client\":\"" + TestApiKeys.CLIENT + "\""), rejected);
        assertFalse(rejected.contains(TestApiKeys.KEY), "the key must not reach the rejected sink");
        assertFalse(rejected.contains("admin"), rejected);
        assertFalse(given().when().get(TestUrls.management("/q/metrics").toString()).then().extract().asString().contains(TestApiKeys.KEY));
    }

    /** Encodings and dot segments that still reach an API route are held to the same key. */
    @Test
    void disguisedApiPaths_stillNeedAKey() throws Exception {
        for (String path : List.of("/%61pi/v1/score", "/api/v1/../v1/score", "/api/./v1/score", "/api/v1/score/",
                "/api/v1/score?client=x")) {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(TestUrls.api(path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(point("s-path")))
                    .build());
            assertEquals(401, r.statusCode(), path + ": " + r.body());
        }
    }

    @Test
    void managementEndpoints_needNoKey() {
        given().when().get(TestUrls.management("/q/health/ready").toString()).then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void oversizedBody_413_withAndWithoutContentLength() throws Exception {
        long before = count(SecurityEvent.Type.PAYLOAD_TOO_LARGE);
        String big = "{\"a\":\"" + "x".repeat(MAX_BODY) + "\"}";
        api().contentType("application/json").body(big).when().post("/api/v1/score")
                .then().statusCode(413).body("error", equalTo("payload_too_large"))
                .body("message", containsString("vigil.http.max-body-bytes"));

        // Chunked: no Content-Length, so the size is only known while reading; reading stops at the limit.
        byte[] bytes = big.repeat(20).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = Http.send(HttpRequest.newBuilder(TestUrls.api("/api/v1/score"))
                .header("Content-Type", "application/json").header(TestApiKeys.HEADER, TestApiKeys.KEY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(chunked.body().contains("\"error\":\"payload_too_large\""), chunked.body());

        // Without a key the body is not even looked at: 401, not 413.
        given().contentType("application/json").body(big).when().post("/api/v1/score").then().statusCode(401);
        assertEquals(before + 2, count(SecurityEvent.Type.PAYLOAD_TOO_LARGE));
    }

    @Test
    void unsupportedContentType_415() throws Exception {
        long before = count(SecurityEvent.Type.UNSUPPORTED_MEDIA_TYPE);
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "application/jsonx")) {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(TestUrls.api("/api/v1/score"))
                    .header("Content-Type", type).header(TestApiKeys.HEADER, TestApiKeys.KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("temperature=1")).build());
            assertEquals(415, r.statusCode(), type);
            assertTrue(r.body().contains("\"error\":\"unsupported_media_type\""), r.body());
        }
        api().contentType("application/json; charset=UTF-8").body(point("s-charset")).when().post("/api/v1/score")
                .then().statusCode(200);
        assertEquals(before + 4, count(SecurityEvent.Type.UNSUPPORTED_MEDIA_TYPE));
    }

    @Test
    void nestingDepthAndArrayLength_limitsNamed() {
        long before = count(SecurityEvent.Type.MALFORMED_REQUEST);
        int depth = JsonPoints.MAX_DEPTH;
        api().contentType("application/json").body("{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                .when().post("/api/v1/score")
                .then().statusCode(400).body("error", equalTo("too_deeply_nested"))
                .body("message", containsString(Integer.toString(depth)));
        // One level less is read, and the point is refused by validation instead (an array is no number).
        api().contentType("application/json").body("{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}")
                .when().post("/api/v1/score")
                .then().statusCode(400).body("error", equalTo("invalid_input")).body("rejected[0].reason", equalTo("wrong_type"));

        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i <= MAX_POINTS; i++) {
            array.append(i == 0 ? "" : ",").append(point("s-many-" + i));
        }
        api().contentType("application/json").body(array.append("]").toString()).when().post("/api/v1/score")
                .then().statusCode(413).body("error", equalTo("too_many_points"))
                .body("message", containsString("vigil.http.max-points"));
        api().contentType("application/json").body("{\"a\":1" + "0".repeat(JsonPoints.MAX_NUMBER_LENGTH) + "}")
                .when().post("/api/v1/score").then().statusCode(400).body("error", equalTo("value_too_long"));
        assertEquals(before + 2, count(SecurityEvent.Type.MALFORMED_REQUEST));
    }

    @Test
    void notUtf8_400() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
        api().contentType("application/json").body(body).when().post("/api/v1/score")
                .then().statusCode(400).body("error", equalTo("invalid_encoding"));
    }

    @Test
    void invalidPoints_recordedWithReasonsOnly_countedInMetrics() {
        long before = count(SecurityEvent.Type.INVALID_POINTS);
        api().contentType("application/json")
                .body("[" + point("s-ok") + ",{\"id\":\"s-xss\",\"key\":\"security-sensor\",\"<script>alert(1)</script>\":1}]")
                .when().post("/api/v1/score").then().statusCode(200).body("rejected[0].reason", equalTo("blocked_pattern"));
        assertEquals(before + 1, count(SecurityEvent.Type.INVALID_POINTS));
        SecurityEvent event = events.kept().stream().filter(e -> e.type() == SecurityEvent.Type.INVALID_POINTS)
                .reduce((a, b) -> b).orElseThrow();
        assertEquals("1 of 2 points refused: blocked_pattern 1", event.detail());
        assertEquals(TestApiKeys.CLIENT, event.client());

        given().contentType("application/json").body("{}").when().post("/api/v1/score").then().statusCode(401);
        String metrics = given().when().get(TestUrls.management("/q/metrics").toString()).then().statusCode(200).extract().asString();
        for (String type : List.of("missing_api_key", "invalid_points")) {
            assertTrue(metrics.contains("vigil_security_events_total{type=\"" + type + "\"}"), metrics);
        }
    }

    /**
     * Camel turns a caller's headers and query parameters into message headers, and a sink obeys some of them: a
     * {@code kafka:} sink sends to the topic in {@code kafka.OVERRIDE_TOPIC}, a {@code jms:} one sets the reply-to in
     * {@code JMSReplyTo}. None of them may reach a sink. Observed on the file sink the rejection is written to, by
     * an event notifier on the exchanges sent to it.
     */
    @Test
    void callerHeadersAndQueryParameters_neverReachASink() {
        List<Map<String, Object>> sent = new CopyOnWriteArrayList<>();
        EventNotifierSupport observer = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeSendingEvent sending
                        && sending.getEndpoint().getEndpointUri().startsWith("file:")) {
                    sent.add(new HashMap<>(sending.getExchange().getMessage().getHeaders()));
                }
            }
        };
        camel.getManagementStrategy().addEventNotifier(observer);
        try {
            api().queryParam("kafka.OVERRIDE_TOPIC", "stolen").queryParam("JMSReplyTo", "queue://elsewhere")
                    .queryParam("X-Vigil-Client", "someone-else").header("kafka.KEY", "forged")
                    .contentType("application/json")
                    .body("{\"id\":\"smuggler\",\"key\":\"security-sensor\",\"temperature\":\"warm\"}")
                    .when().post("/api/v1/score").then().statusCode(400)
                    .body("rejected[0].client", equalTo(TestApiKeys.CLIENT));
            await().atMost(Duration.ofSeconds(10)).until(() -> !sent.isEmpty());
        } finally {
            camel.getManagementStrategy().removeEventNotifier(observer);
        }
        for (Map<String, Object> headers : sent) {
            for (String caller : List.of("kafka.OVERRIDE_TOPIC", "JMSReplyTo", "kafka.KEY", "X-Vigil-Client")) {
                assertFalse(headers.keySet().stream().anyMatch(caller::equalsIgnoreCase), caller + " reached a sink: "
                        + headers);
            }
        }
    }

}
