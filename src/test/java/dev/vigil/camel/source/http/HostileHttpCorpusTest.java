package dev.vigil.camel.source.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.CorpusVerdict;
import dev.vigil.testing.HostileCorpus;
import dev.vigil.testing.Http;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.SinkTally;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestProfiles;
import dev.vigil.testing.TestUrls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HostileCorpus} cases (2,000 by default, {@link HostileCorpus#cases()}) as HTTP bodies with a valid API key
 * and an accepted type (JSON or CSV), a quarter to {@code /api/v1/ingest}, the rest to {@code /api/v1/score}, from
 * four clients. Each answer must account for the case: a body that parses gets one result (or, for /ingest, one
 * accepted point) or one rejection with its reason per point; one that cannot gets a 4xx naming the rule. The sinks
 * then hold exactly the scored, accepted and rejected points; no route stops, the service stays ready, the heap
 * stays bounded, and an ordinary point still scores. ({@link HostileTrafficTest} covers the refusals at the door:
 * keys, types, sizes.)
 */
@QuarkusTest
@TestProfile(TestProfiles.Base.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostileHttpCorpusTest {
    static final TestDirs DIRS = TestProfiles.Base.DIRS;
    static final long SEED = 20_261_129L;
    static final int CLIENTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CamelContext camel;

    /** What the answers add up to. */
    static final class Tally {
        final AtomicLong results = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong rejectedPoints = new AtomicLong();
        final Map<String, AtomicLong> refusedWhole = new ConcurrentHashMap<>();
        final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

        void count(Map<String, AtomicLong> map, String key) {
            map.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        }
    }

    private static String path(int index) {
        return index % 4 == 0 ? "/api/v1/ingest" : "/api/v1/score";
    }

    /** What is wrong with the answer to case {@code c}, or null when it accounts for the case. */
    private static String judge(HostileCorpus.Case c, boolean ingest, HttpResponse<String> response, Tally tally) {
        int status = response.statusCode();
        tally.statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception e) {
            return "status " + status + " without a JSON body: " + response.body();
        }
        int points = c.http() == HostileCorpus.Expect.EITHER ? 1 : c.httpPoints();
        boolean pointWise = status == (ingest ? 202 : 200) || status == 400 && "invalid_input".equals(body.path("error").asText());
        if (pointWise) {
            if (c.http() == HostileCorpus.Expect.WHOLE) {
                return "status " + status + " for a case that must be refused whole: " + shorten(response.body());
            }
            long scored = ingest ? body.path("accepted").asLong() : body.path("results").size();
            JsonNode rejected = body.path("rejected");
            if (scored + rejected.size() != points) {
                return "status " + status + " with " + scored + (ingest ? " accepted" : " results") + " and " + rejected.size()
                        + " rejections for " + points + " points: " + shorten(response.body());
            }
            for (JsonNode r : rejected) {
                if (r.path("reason").asText("").isBlank() || r.path("message").asText("").isBlank()) {
                    return "a rejection without its rule or message: " + shorten(r.toString());
                }
            }
            if (status != 400) {
                (ingest ? tally.accepted : tally.results).addAndGet(scored);
            }
            tally.rejectedPoints.addAndGet(rejected.size());
            return null;
        }
        if (status < 400 || status >= 500) {
            return "status " + status + ": " + shorten(response.body());
        }
        if (c.http() == HostileCorpus.Expect.POINTS) {
            return "refused whole (" + status + ") though each of its " + points + " points needs an outcome: "
                    + shorten(response.body());
        }
        if (body.path("status").asInt() != status || body.path("error").asText("").isBlank()
                || body.path("message").asText("").isBlank()) {
            return "status " + status + " with a body that names no reason: " + shorten(response.body());
        }
        tally.count(tally.refusedWhole, body.path("error").asText());
        return null;
    }

    private static String shorten(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    private static HttpRequest request(HostileCorpus.Case c) {
        return HttpRequest.newBuilder(TestUrls.api(path(c.index())))
                .header("Content-Type", c.csv() ? "text/csv" : "application/json")
                .header(TestApiKeys.HEADER, TestApiKeys.KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(c.body())).build();
    }

    @Test
    void hostileBodies_everyPointAnsweredAndAccounted_routesStartedReadyBoundedAndScoring() throws Exception {
        HostileCorpus corpus = new HostileCorpus(SEED);
        int cases = HostileCorpus.cases();
        Tally tally = new Tally();
        CorpusVerdict verdict = new CorpusVerdict("HostileHttpCorpusTest", "http", DIRS, camel);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<String>>> answers = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            int client = t;
            answers.add(clients.submit(() -> {
                List<String> failures = new ArrayList<>();
                for (int i = client; i < cases; i += CLIENTS) {
                    HostileCorpus.Case c = corpus.get(i);
                    String problem;
                    try {
                        problem = judge(c, path(i).endsWith("ingest"), Http.send(request(c)), tally);
                    } catch (java.io.IOException e) {
                        problem = "no answer: " + e;
                    }
                    if (problem != null) {
                        failures.add(c.describe() + "\n    -> " + problem);
                    }
                }
                return failures;
            }));
        }
        List<String> failures = new ArrayList<>();
        for (Future<List<String>> f : answers) {
            failures.addAll(f.get(300, TimeUnit.SECONDS));
        }
        clients.shutdown();
        Map<HostileCorpus.Kind, Integer> mix = new EnumMap<>(HostileCorpus.Kind.class);
        long bytes = 0;
        for (int i = 0; i < cases; i++) {
            mix.merge(corpus.get(i).kind(), 1, Integer::sum);
            bytes += corpus.get(i).body().length;
        }
        verdict.print("seed %d, %d requests (%.1f MB) answered in %.1f s (%d clients); statuses %s; results %d, accepted %d, "
                + "rejected points %d; refused whole by error %s", SEED, cases, bytes / 1e6, verdict.seconds(), CLIENTS,
                new TreeMap<>(tally.statuses), tally.results.get(), tally.accepted.get(), tally.rejectedPoints.get(),
                new TreeMap<>(tally.refusedWhole));
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " answers did not account for their case; first:\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));

        SinkTally sinks = verdict.finish(tally.results.get() + tally.accepted.get() + tally.rejectedPoints.get(), mix);
        assertEquals(tally.rejectedPoints.get(), sinks.rejectionCount(), "rejections in the sink = rejections answered");

        verdict.assertOrdinaryPointScores(sinks, () -> {
            try {
                HttpResponse<String> valid = Http.send(HttpRequest.newBuilder(TestUrls.api("/api/v1/score"))
                        .header("Content-Type", "application/json").header(TestApiKeys.HEADER, TestApiKeys.KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(SensorData.json("after-http-corpus", "after-http",
                                new SensorData(1).normal()))).build());
                assertEquals(200, valid.statusCode(), valid.body());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
