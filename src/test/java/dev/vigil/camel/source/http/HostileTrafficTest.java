package dev.vigil.camel.source.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.service.security.SecurityEvents;
import dev.vigil.testing.HostileRequests;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestUrls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 10,000 seeded hostile or malformed requests ({@link HostileRequests}: random bytes, truncated and deeply nested
 * JSON, huge and non-finite numbers, 2,000 features, script and {@code javascript:} injections, wrong content
 * types, oversized bodies with and without a length, missing and wrong keys, broken CSV, bytes that are not
 * UTF-8) against the real server. Every answer must be a 4xx with a JSON body naming the reason; afterwards the
 * service is still ready, its heap has not grown beyond a bound, and a valid point still scores.
 */
@QuarkusTest
@TestProfile(HostileTrafficTest.Profile.class)
class HostileTrafficTest {
    static final TestDirs DIRS = new TestDirs("hostile");
    static final int REQUESTS = 10_000;
    static final long SEED = 20_261_125L;
    static final int MAX_BODY = 65_536;
    static final int MAX_POINTS = 50;
    static final int CLIENTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(DIRS.overrides());
            c.putAll(TestApiKeys.overrides());
            c.put("vigil.http.max-body-bytes", Integer.toString(MAX_BODY));
            c.put("vigil.http.max-points", Integer.toString(MAX_POINTS));
            // Refused input still goes to the rejected sink; discard it so the run measures the service, not a disk.
            c.put("vigil.sink.rejected", "bean:sinks?method=discard");
            return c;
        }
    }

    @Inject
    SecurityEvents events;

    /** What went wrong with one answer, or null when it was a proper refusal. */
    private static String judge(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 400 || status >= 500) {
            return "status " + status + ": " + response.body();
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception e) {
            return "status " + status + " without a JSON body: " + response.body();
        }
        if (body == null || body.path("status").asInt() != status || body.path("error").asText("").isBlank()) {
            return "status " + status + " with a body that names no reason: " + response.body();
        }
        if (status == 401 && response.headers().firstValue("WWW-Authenticate").isEmpty()) {
            return "401 without WWW-Authenticate";
        }
        return null;
    }

    private static HttpRequest request(HostileRequests.Request r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(TestUrls.api(r.path())).timeout(Duration.ofSeconds(30));
        if (r.contentType() != null) {
            b.header("Content-Type", r.contentType());
        }
        if (r.apiKey() != null) {
            b.header(TestApiKeys.HEADER, r.apiKey());
        }
        byte[] body = r.body();
        return b.POST(r.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void tenThousandHostileRequests_allRefusedWithReasons_serviceStaysReadyBoundedAndScoring() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HostileRequests hostile = new HostileRequests(SEED, TestApiKeys.KEY, MAX_BODY, MAX_POINTS);
        long heapBefore = usedHeapAfterGc();
        long eventsBefore = events.summary().total();
        long start = System.nanoTime();

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            results.add(clients.submit(() -> {
                List<String> failures = new ArrayList<>();
                for (int i = client; i < REQUESTS; i += CLIENTS) {
                    HostileRequests.Request r = hostile.get(i);
                    String problem;
                    try {
                        problem = judge(http.send(request(r), HttpResponse.BodyHandlers.ofString()));
                    } catch (java.io.IOException e) {
                        problem = "no answer: " + e;
                    }
                    if (problem != null) {
                        failures.add("#" + i + " " + r.describe() + "\n    -> " + problem);
                    }
                }
                return failures;
            }));
        }
        List<String> failures = new ArrayList<>();
        for (Future<List<String>> f : results) {
            failures.addAll(f.get(120, TimeUnit.SECONDS));
        }
        clients.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<HostileRequests.Kind, Integer> mix = new EnumMap<>(HostileRequests.Kind.class);
        for (int i = 0; i < REQUESTS; i++) {
            mix.merge(hostile.get(i).kind(), 1, Integer::sum);
        }
        System.out.printf("Hostile traffic: %d requests in %.1f s (%d clients); mix %s%n", REQUESTS, seconds, CLIENTS, mix);
        assertTrue(failures.isEmpty(), failures.size() + " of " + REQUESTS + " answers were not a 4xx naming a reason; "
                + "first ones:\n" + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));

        // Every refusal is a security event (a refused point inside a request counts once per request).
        assertEquals(REQUESTS, events.summary().total() - eventsBefore);

        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(TestUrls.management("/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", JSON.readTree(ready.body()).path("status").asText());

        long heapAfter = usedHeapAfterGc();
        assertTrue(heapAfter < heapBefore + 100L * 1024 * 1024,
                String.format("used heap grew from %d MB to %d MB", heapBefore >> 20, heapAfter >> 20));

        HttpResponse<String> valid = http.send(HttpRequest.newBuilder(TestUrls.api("/api/v1/score"))
                .header("Content-Type", "application/json").header(TestApiKeys.HEADER, TestApiKeys.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(SensorData.json("after-storm", "calm-sensor",
                        new SensorData(1).normal()))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, valid.statusCode(), valid.body());
        assertEquals("after-storm", JSON.readTree(valid.body()).path("results").path(0).path("id").asText());
    }
}
