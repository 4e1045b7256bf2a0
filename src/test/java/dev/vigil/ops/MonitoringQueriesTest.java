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
import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every metric name that the PrometheusRule and the Grafana dashboard query exists in the running service's
 * {@code /q/metrics}. Metrics that appear only after an event are forced to exist by causing the event: a rejected
 * point, an anomaly, a refused key, a batch the fallback answers, a batch neither model can score (dead letter),
 * a throttled file, and a checkpoint that cannot be written (the profile's checkpoint folder cannot be created at
 * start, so that failure is counted from the start).
 */
@QuarkusTest
@TestProfile(TestProfiles.TestModels.class)
class MonitoringQueriesTest {
    static final TestDirs DIRS = TestProfiles.TestModels.DIRS;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /** The test makes the models fail: it leaves them working and the breaker closed for the profile's next tests. */
    @AfterEach
    void recover() {
        FlakyModels.recover();
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

        // Scored (first feature 50: every score 1, an anomaly), one rejected.
        String batch = points("metrics", 30, 0);
        String withInvalid = batch.substring(0, batch.length() - 1)
                + ",{\"key\":\"metrics\",\"id\":\"bad\",\"cpu\":\"abc\",\"mem\":1}]";
        api().contentType("application/json").body(withInvalid).when().post("/api/v1/score").then().statusCode(200);
        // The model fails once: the fallback answers. Then both fail: the batch is dead-lettered.
        FlakyModels.primary = FlakyModels.Mode.FAIL;
        api().contentType("application/json").body(points("metrics", 5, 100)).when().post("/api/v1/score").then()
                .statusCode(200);
        FlakyModels.fallbackFails = true;
        api().contentType("application/json").body(points("metrics", 5, 150)).when().post("/api/v1/score").then()
                .statusCode(503);
        FlakyModels.reset();
        // A refused key (a security event).
        given().header(TestApiKeys.HEADER, "not-a-key").contentType("application/json").body(points("metrics", 1, 200))
                .when().post("/api/v1/score").then().statusCode(401);
        // More lines in one file than the profile's file limit per minute: the file is slowed down.
        StringBuilder csv = new StringBuilder("id,key,cpu,mem\n");
        for (int i = 0; i <= TestProfiles.TestModels.FILE_MAX_PER_MINUTE; i++) {
            csv.append("f").append(i).append(",metrics-file,50,70\n");
        }
        SensorData.drop(DIRS.inbox(), "monitoring-queries.csv", csv.toString());

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Set<String> names = exposed(given().when().get(metrics).then().statusCode(200).extract().asString());
            Map<String, String> missing = new TreeMap<>(queried);
            missing.keySet().removeAll(names);
            assertEquals(Map.of(), missing, "queried but not in /q/metrics");
        });
    }
}
