package dev.vigil.camel.sink;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.SinkMark;
import dev.vigil.testing.TestProfiles;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * What the sink outage tests share. They run in {@link TestProfiles.TestModels}, where a point's first feature is
 * its score, so a test sends every point to one severity and so to one sink (each test its own: low a folder,
 * medium a JMS queue, high a Kafka topic), and its own key; points go through {@code /api/v1/score}, which answers
 * once the batch is routed (sink, redelivery and dead letter included). The check: every point sent is in the
 * sink's output or in the dead letter, once, and the service's counters grew by as much.
 */
final class SinkOutages {
    /** Least time a message spends being redelivered: 200 + 400 + 800 ms with the doubling back-off (600 without). */
    static final long BACK_OFF_MILLIS = 1400;

    private SinkOutages() {
    }

    /** Points sent in one request, and how long the request took (the batch is routed before the answer). */
    record Sent(List<String> ids, long millis) {
    }

    /**
     * Sends {@code n} points of {@code key} scored {@code score} to {@code /api/v1/score}; every one must come back
     * as a result of {@code severity}.
     */
    static Sent score(String key, String idPrefix, int n, double score, String severity, Random random) {
        StringBuilder sb = new StringBuilder("[");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = idPrefix + "-" + i;
            ids.add(id);
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"key\":\"%s\",\"id\":\"%s\",\"score\":%.2f,\"cpu\":%.4f,\"mem\":%.4f}", key, id, score,
                    50 + random.nextGaussian(), 70 + random.nextGaussian()));
        }
        long start = System.nanoTime();
        List<String> severities = api().contentType("application/json").body(sb.append(']').toString())
                .when().post("/api/v1/score").then().statusCode(200).extract().path("results.severity");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(n, severities.size());
        assertTrue(severities.stream().allMatch(severity::equals), severities.toString());
        return new Sent(ids, millis);
    }

    /** The ids of {@code key}'s dead letters meant for {@code sink} since {@code mark}; each says which sink and why. */
    static List<String> deadLetterIds(SinkMark mark, String sink, String key) {
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> letter : mark.read(TestProfiles.TestModels.DIRS.deadLetter())) {
            Map<?, ?> record = (Map<?, ?>) letter.get("record");
            if (sink.equals(letter.get("sink")) && key.equals(record.get("key"))) {
                assertTrue(String.valueOf(letter.get("error")).contains("Exception"), letter.toString());
                ids.add((String) record.get("id"));
            }
        }
        return ids;
    }

    /** The counters a test's points move: points scored into {@code severity} over HTTP, and its sink's dead letters. */
    record Counters(double scored, double deadLetters) {
        static Counters read(URL metrics, String severity) {
            String text = given().when().get(metrics).then().statusCode(200).extract().asString();
            return new Counters(sum(text, "vigil_points_scored_total{severity=\"" + severity + "\",source=\"http\""),
                    sum(text, "vigil_dead_letters_total{sink=\"" + severity + "\"}"));
        }

        private static double sum(String text, String series) {
            return text.lines().filter(l -> l.startsWith(series)).mapToDouble(l ->
                    Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }
    }

    /**
     * Points in = results out + dead letters: every id sent is in exactly one of the two, none is missing or twice,
     * and the service counted as many more scored points and dead letters than {@code before}.
     */
    static void assertAccounted(String test, URL metrics, String severity, Counters before, List<String> sent,
            List<String> delivered, List<String> dead) {
        Set<String> seen = new HashSet<>();
        List<String> twice = new ArrayList<>();
        for (String id : concat(delivered, dead)) {
            if (!seen.add(id)) {
                twice.add(id);
            }
        }
        Set<String> lost = new HashSet<>(sent);
        lost.removeAll(seen);
        Set<String> unknown = new HashSet<>(seen);
        sent.forEach(unknown::remove);
        Counters after = Counters.read(metrics, severity);
        double scored = after.scored() - before.scored();
        double deadCounted = after.deadLetters() - before.deadLetters();
        System.out.printf(Locale.ROOT, "%s: points in %d = results out %d + dead letters %d; lost %d, duplicated %d;"
                + " counters: scored %.0f, dead letters %.0f%n", test, sent.size(), delivered.size(), dead.size(),
                lost.size(), twice.size(), scored, deadCounted);
        assertEquals(Set.of(), lost, "lost");
        assertEquals(List.of(), twice, "duplicated");
        assertEquals(Set.of(), unknown, "out but never sent");
        assertEquals(sent.size(), delivered.size() + dead.size());
        assertEquals(sent.size(), scored, 0.0, "vigil_points_scored_total{severity=" + severity + "}");
        assertEquals(dead.size(), deadCounted, 0.0, "vigil_dead_letters_total{sink=" + severity + "}");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
