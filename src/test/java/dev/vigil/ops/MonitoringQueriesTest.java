package dev.vigil.ops;

import static dev.vigil.ops.KubernetesManifestsTest.at;
import static dev.vigil.ops.KubernetesManifestsTest.manifest;
import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.FlakyModels;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every metric name that the PrometheusRule and the Grafana dashboard query exists in the running service's
 * {@code /q/metrics}. Metrics that appear only after an event are forced to exist by causing the event: a rejected
 * point, an anomaly, a throttled request, a refused key, a batch the fallback answers, a failing sink (dead
 * letter) and a checkpoint that cannot be written.
 */
@QuarkusTest
@TestProfile(MonitoringQueriesTest.Profile.class)
class MonitoringQueriesTest {
    static final TestDirs DIRS = new TestDirs("monitoring-queries");
    /** A regular file where the low-severity sink expects a folder: every write to that sink fails. */
    static final Path NOT_A_FOLDER = DIRS.base().resolve("not-a-folder");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(DIRS.overrides());
            c.putAll(TestApiKeys.overrides());
            try {
                Files.createDirectories(DIRS.base());
                Files.writeString(NOT_A_FOLDER, "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            c.put("vigil.sink.low", "file:" + NOT_A_FOLDER.resolve("low") + "?fileName=results.jsonl&fileExist=Append");
            c.put("vigil.sink.max-redeliveries", "0");
            // A z-score that the test can make fail, so the fallback answers one batch.
            c.put("vigil.model.type", "test_flaky");
            // Every result is an anomaly: vigil_points_anomalous_total exists.
            c.put("vigil.thresholds.anomaly", "0");
            c.put("vigil.throttle.max-per-minute", "100");
            c.put("vigil.checkpoint.interval", "20");
            c.put("vigil.alerts.memory-mb", "1000000");
            return c;
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @AfterEach
    void reset() {
        FlakyModels.reset();
    }

    /** Words of PromQL that are neither functions (followed by a parenthesis) nor metric names. */
    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** The metric names a PromQL expression reads. */
    static Set<String> metricNames(String expr) {
        String e = expr.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String rest = e.substring(m.end()).stripLeading();
            boolean function = rest.startsWith("(");
            boolean number = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!function && !number && !PROMQL_WORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** Metric name to the places that query it. */
    private static Map<String, String> queriedNames() throws IOException {
        Map<String, String> used = new TreeMap<>();
        List<Map<String, Object>> groups = at(manifest(KubernetesManifestsTest.BASE.resolve("prometheus-rule.yaml")),
                "spec", "groups");
        for (Map<String, Object> group : groups) {
            List<Map<String, Object>> rules = at(group, "rules");
            for (Map<String, Object> rule : rules) {
                metricNames(String.valueOf(rule.get("expr"))).forEach(n -> used.put(n, "rule " + rule.get("alert")));
            }
        }
        Object dashboard = new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(KubernetesManifestsTest.BASE.resolve("grafana/vigil-dashboard.json")));
        List<Map<String, Object>> panels = at(dashboard, "panels");
        for (Map<String, Object> panel : panels) {
            List<Map<String, Object>> targets = at(panel, "targets");
            for (Map<String, Object> target : targets) {
                metricNames(String.valueOf(target.get("expr"))).forEach(n -> used.put(n, "panel " + panel.get("title")));
            }
        }
        return used;
    }

    /** The series names of a Prometheus text exposition. */
    private static Set<String> exposed(String text) {
        return text.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String points(String key, int n, int from) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"key\":\"").append(key).append("\",\"id\":\"q").append(from + i)
                    .append("\",\"cpu\":").append(50 + (i * 7) % 5).append(",\"mem\":").append(70 + (i * 3) % 4)
                    .append('}');
        }
        return sb.append(']').toString();
    }

    @Test
    void metricNames_ofPromQl_leaveOutFunctionsLabelsAndRanges() {
        assertEquals(Set.of("a_total", "b_seconds_sum"), metricNames(
                "sum by (severity) (rate(a_total{state!=\"failed\", x=~\"a|b\"}[5m])) / histogram_quantile(0.9, "
                        + "b_seconds_sum) > 1e3 or vector(0)"));
    }

    @Test
    void queriedMetrics_existInTheRunningServicesMetrics() throws IOException {
        Map<String, String> queried = queriedNames();
        assertTrue(queried.size() >= 15, "the rule and the dashboard query Vigil's metrics: " + queried.keySet());

        // A checkpoint that cannot be written: its folder becomes a regular file after start.
        Path checkpoints = DIRS.checkpoints();
        if (Files.exists(checkpoints)) {
            try (Stream<Path> paths = Files.walk(checkpoints)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.writeString(checkpoints, "");

        // Scored (all anomalous), one rejected; 30 points > vigil.checkpoint.interval.
        String batch = points("metrics", 30, 0);
        String withInvalid = batch.substring(0, batch.length() - 1)
                + ",{\"key\":\"metrics\",\"id\":\"bad\",\"cpu\":\"abc\",\"mem\":1}]";
        api().contentType("application/json").body(withInvalid).when().post("/api/v1/score").then().statusCode(200);
        // The model fails once: the fallback answers.
        FlakyModels.primary = FlakyModels.Mode.FAIL;
        api().contentType("application/json").body(points("metrics", 5, 100)).when().post("/api/v1/score").then()
                .statusCode(200);
        FlakyModels.primary = FlakyModels.Mode.OK;
        // A refused key (a security event), then more points than vigil.throttle.max-per-minute allows.
        given().header(TestApiKeys.HEADER, "not-a-key").contentType("application/json").body(points("metrics", 1, 200))
                .when().post("/api/v1/score").then().statusCode(401);
        api().contentType("application/json").body(points("metrics", 90, 300)).when().post("/api/v1/score").then()
                .statusCode(429);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Set<String> names = exposed(given().when().get(metrics).then().statusCode(200).extract().asString());
            Map<String, String> missing = new TreeMap<>(queried);
            missing.keySet().removeAll(names);
            assertEquals(Map.of(), missing, "queried but not in /q/metrics");
        });
    }
}
