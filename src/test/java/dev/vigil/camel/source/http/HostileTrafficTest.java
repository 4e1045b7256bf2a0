package dev.vigil.camel.source.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.service.security.SecurityEvents;
import dev.vigil.testing.HostileCorpus;
import dev.vigil.testing.HostileRequests;
import dev.vigil.testing.Http;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.ServiceVitals;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestProfiles;
import dev.vigil.testing.TestUrls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded hostile or malformed requests ({@link HostileRequests}, as many as {@link HostileCorpus#cases()}: random
 * bytes, truncated and deeply nested JSON, huge and non-finite numbers, 2,000 features, script and {@code
 * javascript:} injections, wrong content types, oversized bodies with and without a length, missing and wrong keys,
 * broken CSV, bytes that are not UTF-8) against the real server. Every answer must be a 4xx with a JSON body naming
 * the reason; afterwards the service is still ready, its heap has not grown beyond a bound, and a valid point still
 * scores.
 */
@QuarkusTest
@TestProfile(TestProfiles.Base.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostileTrafficTest {
    static final long SEED = 20_261_125L;
    static final int MAX_BODY = TestProfiles.Base.MAX_BODY;
    static final int MAX_POINTS = TestProfiles.Base.MAX_POINTS;
    static final int CLIENTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

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
        HttpRequest.Builder b = HttpRequest.newBuilder(TestUrls.api(r.path()));
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

    @Test
    void hostileRequests_allRefusedWithReasons_serviceStaysReadyBoundedAndScoring() throws Exception {
        int requests = HostileCorpus.cases();
        HostileRequests hostile = new HostileRequests(SEED, TestApiKeys.KEY, MAX_BODY, MAX_POINTS);
        long heapBefore = ServiceVitals.usedHeapAfterGc();
        long eventsBefore = events.summary().total();
        long start = System.nanoTime();

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            results.add(clients.submit(() -> {
                List<String> failures = new ArrayList<>();
                for (int i = client; i < requests; i += CLIENTS) {
                    HostileRequests.Request r = hostile.get(i);
                    String problem;
                    try {
                        problem = judge(Http.send(request(r)));
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
        for (int i = 0; i < requests; i++) {
            mix.merge(hostile.get(i).kind(), 1, Integer::sum);
        }
        System.out.printf("Hostile traffic: %d requests in %.1f s (%d clients); mix %s%n", requests, seconds, CLIENTS, mix);
        for (HostileRequests.Kind kind : HostileRequests.Kind.values()) {
            assertTrue(mix.getOrDefault(kind, 0) >= HostileCorpus.MIN_PER_KIND, kind + " came up " + mix.get(kind)
                    + " times; more requests: -Dhostile-corpus.cases");
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + requests + " answers were not a 4xx naming a reason; "
                + "first ones:\n" + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));

        // Every refusal is a security event (a refused point inside a request counts once per request).
        assertEquals(requests, events.summary().total() - eventsBefore);

        HttpResponse<String> ready = Http.send(HttpRequest.newBuilder(TestUrls.management("/q/health/ready")).build());
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", JSON.readTree(ready.body()).path("status").asText());

        long heapAfter = ServiceVitals.usedHeapAfterGc();
        assertTrue(heapAfter < heapBefore + 100L * 1024 * 1024,
                String.format("used heap grew from %d MB to %d MB", heapBefore >> 20, heapAfter >> 20));

        HttpResponse<String> valid = Http.send(HttpRequest.newBuilder(TestUrls.api("/api/v1/score"))
                .header("Content-Type", "application/json").header(TestApiKeys.HEADER, TestApiKeys.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(SensorData.json("after-storm", "calm-sensor",
                        new SensorData(1).normal()))).build());
        assertEquals(200, valid.statusCode(), valid.body());
        assertEquals("after-storm", JSON.readTree(valid.body()).path("results").path(0).path("id").asText());
    }
}
