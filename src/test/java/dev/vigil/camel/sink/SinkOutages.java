package dev.vigil.camel.sink;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * What the sink outage tests share: a configuration in which every result is critical (all thresholds 0), so one
 * sink takes them all and the accounting is exact; points sent through {@code /api/v1/score}, which answers once the
 * batch is routed (sink, redelivery and dead letter included); and the check that every point sent is in the sink's
 * output or in the dead letter, once, and that the service's counters say the same.
 */
final class SinkOutages {
    static final int MAX_REDELIVERIES = 3;
    static final long REDELIVERY_DELAY = 200;
    /** Least time a message spends being redelivered: 200 + 400 + 800 ms with the doubling back-off (600 without). */
    static final long BACK_OFF_MILLIS = 1400;

    private SinkOutages() {
    }

    static Map<String, String> overrides(TestDirs dirs) {
        Map<String, String> c = new HashMap<>(dirs.overrides());
        c.putAll(TestApiKeys.overrides());
        c.put("vigil.model.type", "zscore");
        c.put("vigil.thresholds.medium", "0");
        c.put("vigil.thresholds.high", "0");
        c.put("vigil.thresholds.critical", "0");
        c.put("vigil.throttle.max-per-minute", "0");
        c.put("vigil.sink.max-redeliveries", String.valueOf(MAX_REDELIVERIES));
        c.put("vigil.sink.redelivery-delay", String.valueOf(REDELIVERY_DELAY));
        c.put("vigil.alerts.memory-mb", "1000000");
        return c;
    }

    /** Points sent in one request, and how long the request took (the batch is routed before the answer). */
    record Sent(List<String> ids, long millis) {
    }

    /** Sends {@code n} points of one key to {@code /api/v1/score}; every one must come back as a result. */
    static Sent score(String idPrefix, int n, Random random) {
        StringBuilder sb = new StringBuilder("[");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = idPrefix + "-" + i;
            ids.add(id);
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"key\":\"outage\",\"id\":\"%s\",\"cpu\":%.4f,\"mem\":%.4f}", id, 50 + random.nextGaussian(),
                    70 + random.nextGaussian()));
        }
        long start = System.nanoTime();
        List<String> severities = api().contentType("application/json").body(sb.append(']').toString())
                .when().post("/api/v1/score").then().statusCode(200).extract().path("results.severity");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(n, severities.size());
        assertTrue(severities.stream().allMatch("critical"::equals), severities.toString());
        return new Sent(ids, millis);
    }

    /** The ids of the dead letters meant for {@code sink}; each says which sink and why. */
    static List<String> deadLetterIds(TestDirs dirs, String sink) {
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> letter : JsonLines.read(dirs.deadLetter())) {
            if (sink.equals(letter.get("sink"))) {
                assertTrue(String.valueOf(letter.get("error")).contains("Exception"), letter.toString());
                Map<?, ?> record = (Map<?, ?>) letter.get("record");
                ids.add((String) record.get("id"));
            }
        }
        return ids;
    }

    /** The sum of the series of {@code /q/metrics} whose line starts with {@code series}. */
    static double metric(URL metrics, String series) {
        String text = given().when().get(metrics).then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(series)).mapToDouble(l ->
                Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * Points in = results out + dead letters: every id sent is in exactly one of the two, none is missing or twice,
     * and the service counted as many scored points and dead letters.
     */
    static void assertAccounted(String test, URL metrics, List<String> sent, List<String> delivered,
            List<String> dead) {
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
        double scored = metric(metrics, "vigil_points_scored_total{severity=\"critical\",source=\"http\"");
        double deadCounted = metric(metrics, "vigil_dead_letters_total{sink=\"critical\"}");
        System.out.printf(Locale.ROOT, "%s: points in %d = results out %d + dead letters %d; lost %d, duplicated %d;"
                + " counters: scored %.0f, dead letters %.0f%n", test, sent.size(), delivered.size(), dead.size(),
                lost.size(), twice.size(), scored, deadCounted);
        assertEquals(Set.of(), lost, "lost");
        assertEquals(List.of(), twice, "duplicated");
        assertEquals(Set.of(), unknown, "out but never sent");
        assertEquals(sent.size(), delivered.size() + dead.size());
        assertEquals(sent.size(), scored, 0.0, "vigil_points_scored_total");
        assertEquals(dead.size(), deadCounted, 0.0, "vigil_dead_letters_total{sink=critical}");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
