package dev.vigil.camel;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.camel.lifecycle.HeaderMaps;
import dev.vigil.camel.lifecycle.PlaceholderSource;
import dev.vigil.testing.ArtemisResource;
import dev.vigil.testing.KafkaResource;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.SinkMark;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every source end to end through the real routes: files through a real folder, HTTP through the real server,
 * Kafka through an in-JVM KRaft broker, JMS through an embedded Artemis. Each test checks that ordinary points
 * land in the low sink, injected outliers in high or critical, bad input in the rejected sink with its reason,
 * and that every input id is accounted for.
 */
@QuarkusTest
@TestProfile(TestProfiles.Base.class)
class RouteBundleTest {
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsUrl;

    static final TestDirs DIRS = TestProfiles.Base.DIRS;

    @Inject
    CamelContext camel;

    @Inject
    ConnectionFactory jms;

    /** The sinks as the test found them: it reads what was appended since. */
    private SinkMark mark;

    @BeforeEach
    void markSinks() {
        mark = SinkMark.of(DIRS);
    }

    /** The routes' placeholders are answered by {@link PlaceholderSource}, ahead of Camel Quarkus's own source. */
    @Test
    void placeholders_answeredByPlaceholderSourceFirst() {
        var sources = ((PropertiesComponent) camel.getPropertiesComponent()).getPropertiesSources();
        assertEquals(PlaceholderSource.class, sources.get(0).getClass(), sources.toString());
        assertEquals(ConfigProvider.getConfig().getValue("vigil.kafka.topic", String.class),
                camel.resolvePropertyPlaceholders("{{vigil.kafka.topic}}"));
    }

    /** Messages' headers are Vigil's case-insensitive map, installed before the routes were configured. */
    @Test
    void headerMaps_installedBeforeRoutes() {
        assertTrue(camel.getCamelContextExtension().getHeadersMapFactory() instanceof HeaderMaps);
        assertEquals("CaseInsensitiveHeaders",
                new DefaultExchange(camel).getMessage().getHeaders().getClass().getSimpleName());
    }

    /** Everything a sink or the dead letter received since the test started, by id. */
    private Map<String, Map<String, Object>> outcomes() {
        Map<String, Map<String, Object>> byId = new HashMap<>();
        for (Map<String, Object> r : mark.read(DIRS.sink("low"), DIRS.sink("medium"), DIRS.sink("high"),
                DIRS.sink("critical"), DIRS.rejected())) {
            if (r.get("id") != null) {
                byId.put((String) r.get("id"), r);
            }
        }
        for (Map<String, Object> d : mark.read(DIRS.deadLetter())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = (Map<String, Object>) d.get("record");
            if (record != null && record.get("id") != null) {
                byId.put((String) record.get("id"), record);
            }
        }
        return byId;
    }

    private void awaitAccounted(Set<String> ids) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Set<String> seen = outcomes().keySet();
            return seen.containsAll(ids);
        });
    }

    /** Normal points mostly low, every outlier high or critical. */
    private void assertSeverities(Set<String> normalIds, Set<String> outlierIds) {
        Map<String, Map<String, Object>> out = outcomes();
        for (String id : outlierIds) {
            Object severity = out.get(id).get("severity");
            assertTrue("high".equals(severity) || "critical".equals(severity), id + " was " + out.get(id));
        }
        long low = normalIds.stream().filter(id -> "low".equals(out.get(id).get("severity"))).count();
        assertTrue(low >= 0.9 * normalIds.size(), low + " of " + normalIds.size() + " ordinary points were low");
    }

    private Map<String, Object> rejection(String id) {
        return mark.read(DIRS.rejected()).stream().filter(r -> id.equals(r.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no rejection for " + id));
    }

    @Test
    void routes_loadedFromRoutesFolder_andConfiguredSourcesStarted() {
        for (String id : List.of("file-inbox", "http-score", "http-ingest", "kafka-in", "jms-in")) {
            assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus(id), id);
        }
        for (String id : List.of("validate", "detect", "sink-critical", "sink-low", "sink-rejected", "dead-letter")) {
            assertTrue(camel.getRoute(id) != null, id);
        }
    }

    @Test
    void file_csvWithOutliers_severitiesAndEveryIdAccounted() throws Exception {
        SensorData data = new SensorData(1);
        StringBuilder csv = new StringBuilder(SensorData.CSV_HEADER).append('\n');
        Set<String> normal = new HashSet<>();
        Set<String> outliers = new HashSet<>();
        for (int i = 0; i < 1500; i++) {
            boolean outlier = i >= 600 && i % 200 == 0;
            String id = "csv-" + i;
            csv.append(SensorData.csv(id, "file-sensor", outlier ? data.outlier() : data.normal())).append('\n');
            (outlier ? outliers : normal).add(id);
        }
        csv.append("csv-bad-1,file-sensor,warm,1000,50\n");
        csv.append("csv-bad-2,file-sensor,20,1000\n");
        SensorData.drop(DIRS.inbox(), "sensors.csv", csv.toString());

        Set<String> all = new HashSet<>(normal);
        all.addAll(outliers);
        awaitAccounted(all);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(DIRS.inbox().resolve(".done/sensors.csv")));
        assertSeverities(normal.stream().filter(id -> Integer.parseInt(id.substring(4)) >= 300)
                .collect(Collectors.toSet()), outliers);
        assertEquals("not_a_number", rejection("csv-bad-1").get("reason"));
        assertEquals("temperature", rejection("csv-bad-1").get("field"));
        List<Map<String, Object>> rejected = mark.read(DIRS.rejected());
        assertTrue(rejected.stream().anyMatch(r -> "malformed".equals(r.get("reason"))
                && "csv-bad-2,file-sensor,20,1000".equals(r.get("original"))), rejected.toString());
    }

    @Test
    void file_jsonLinesWithBadLines_rejectedWithReasonsAndFileDone() {
        SensorData data = new SensorData(2);
        List<String> lines = new ArrayList<>();
        Set<String> good = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            lines.add(SensorData.json("jl-" + i, "jsonl-sensor", data.normal()));
            good.add("jl-" + i);
        }
        lines.add("{\"id\":\"jl-broken\",\"key\":\"jsonl-sensor\",\"temperature\":");
        lines.add("{\"id\":\"jl-nan\",\"key\":\"jsonl-sensor\",\"temperature\":\"NaN\",\"pressure\":1,\"humidity\":2}");
        lines.add("{\"id\":\"jl-extra\",\"key\":\"jsonl-sensor\",\"temperature\":1,\"pressure\":1,\"humidity\":2,\"wind\":3}");
        lines.add("{\"id\":\"jl-missing\",\"key\":\"jsonl-sensor\",\"temperature\":1,\"pressure\":1}");
        lines.add("{\"id\":\"jl-script\",\"key\":\"jsonl-sensor\",\"temperature\":\"<script>alert(1)</script>\","
                + "\"pressure\":1,\"humidity\":2}");
        lines.add("[1,2,3]");
        SensorData.drop(DIRS.inbox(), "readings.jsonl", String.join("\n", lines) + "\n");

        awaitAccounted(Set.of("jl-0", "jl-49", "jl-nan", "jl-extra", "jl-missing", "jl-script"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(DIRS.inbox().resolve(".done/readings.jsonl")));
        assertEquals("not_finite", rejection("jl-nan").get("reason"));
        assertEquals("schema_extra_feature", rejection("jl-extra").get("reason"));
        assertEquals("wind", rejection("jl-extra").get("field"));
        assertEquals("schema_missing_feature", rejection("jl-missing").get("reason"));
        assertEquals("humidity", rejection("jl-missing").get("field"));
        assertEquals("blocked_pattern", rejection("jl-script").get("reason"));
        List<Map<String, Object>> rejected = mark.read(DIRS.rejected());
        assertTrue(rejected.stream().anyMatch(r -> "malformed".equals(r.get("reason"))
                && String.valueOf(r.get("original")).startsWith("{\"id\":\"jl-broken\"")), rejected.toString());
        assertTrue(rejected.stream().anyMatch(r -> "not_an_object".equals(r.get("reason"))
                && "[1,2,3]".equals(r.get("original"))), rejected.toString());
    }

    @Test
    void http_score_answersResultsSynchronously() {
        SensorData data = new SensorData(3);
        // 400 ordinary points first, in requests of the profile's most points per request.
        int perRequest = TestProfiles.Base.MAX_POINTS;
        for (int from = 0; from < 400; from += perRequest) {
            StringBuilder array = new StringBuilder("[");
            for (int i = from; i < from + perRequest; i++) {
                array.append(i == from ? "" : ",").append(SensorData.json("h-" + i, "http-sensor", data.normal()));
            }
            api().contentType("application/json").body(array.append("]").toString())
                    .when().post("/api/v1/score").then().statusCode(200).body("results", hasSize(perRequest));
        }

        api().contentType("application/json")
                .body(SensorData.json("h-out", "http-sensor", data.outlier()))
                .when().post("/api/v1/score")
                .then().statusCode(200)
                .body("results[0].id", equalTo("h-out"))
                .body("results[0].isAnomaly", equalTo(true))
                .body("results[0].state", equalTo("healthy"))
                .body("results[0].model", equalTo("isolation_forest"))
                // Above the 400 scores before it: rarity 400/401 of them at most, none of them higher.
                .body("results[0].rarity", greaterThan(0.99f));
        assertTrue(Set.of("high", "critical").contains(outcomes().get("h-out").get("severity")));

        api().contentType("text/csv")
                .body(SensorData.CSV_HEADER + "\nh-csv,http-sensor,20.1,1001,49\n")
                .when().post("/api/v1/score")
                .then().statusCode(200).body("results[0].id", equalTo("h-csv"))
                .body("results[0].severity", equalTo("low"));
    }

    @Test
    void http_score_manyKeysInOneRequest_resultsInRequestOrder() {
        // Enough points over enough keys that the batch is scored in shares, one per scoring thread.
        SensorData data = new SensorData(5);
        int points = TestProfiles.Base.MAX_POINTS;
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < points; i++) {
            array.append(i == 0 ? "" : ",").append(SensorData.json("mk-" + i, "mk-sensor-" + (i * 7 % 11), data.normal()));
        }
        List<Map<String, Object>> results = api().contentType("application/json").body(array.append("]").toString())
                .when().post("/api/v1/score").then().statusCode(200).extract().jsonPath().getList("results");
        assertEquals(points, results.size());
        for (int i = 0; i < points; i++) {
            assertEquals("mk-" + i, results.get(i).get("id"), "result " + i);
            assertEquals("mk-sensor-" + (i * 7 % 11), results.get(i).get("key"), "result " + i);
        }
    }

    @Test
    void http_badRequests_clearJsonErrors() {
        api().contentType("application/json").body("{\"temperature\": ").when().post("/api/v1/score")
                .then().statusCode(400).body("error", equalTo("malformed")).body("message", containsString("JSON"));
        api().contentType("text/plain").body("temperature=1").when().post("/api/v1/score")
                .then().statusCode(415).body("error", equalTo("unsupported_media_type"));
        api().contentType("application/json").body("{\"a\":\"" + "x".repeat(70_000) + "\"}")
                .when().post("/api/v1/score")
                .then().statusCode(413).body("error", equalTo("payload_too_large"));
        api().contentType("application/json").body("[{\"id\":\"h-bad\",\"key\":\"http-bad\",\"t\":true}]")
                .when().post("/api/v1/score")
                .then().statusCode(400).body("error", equalTo("invalid_input"))
                .body("rejected[0].reason", equalTo("wrong_type")).body("rejected[0].field", equalTo("t"));
        api().contentType("application/json").body("{\"id\":\"h-deep\",\"a\":" + "[".repeat(100) + "]".repeat(100) + "}")
                .when().post("/api/v1/score").then().statusCode(400);
        api().contentType("application/json").body("\"just a string\"").when().post("/api/v1/score")
                .then().statusCode(400).body("error", equalTo("not_an_object"));
        assertEquals("wrong_type", rejection("h-bad").get("reason"));
    }

    @Test
    void http_ingest_acceptedThenScoredAsynchronously() {
        SensorData data = new SensorData(4);
        Set<String> ids = new HashSet<>();
        int perRequest = TestProfiles.Base.MAX_POINTS;
        for (int from = 0; from < 250; from += perRequest) {
            StringBuilder array = new StringBuilder("[");
            for (int i = from; i < from + perRequest; i++) {
                array.append(i == from ? "" : ",").append(SensorData.json("in-" + i, "ingest-sensor-" + (i % 2),
                        data.normal()));
                ids.add("in-" + i);
            }
            api().contentType("application/json").body(array.append("]").toString())
                    .when().post("/api/v1/ingest").then().statusCode(202).body("accepted", equalTo(perRequest));
        }
        // A valid point beside an invalid one: the valid one is accepted, the other refused with its reason.
        ids.add("in-250");
        api().contentType("application/json").body("[" + SensorData.json("in-250", "ingest-sensor-0", data.normal())
                + ",{\"id\":\"in-bad\",\"key\":\"ingest-sensor-0\",\"temperature\":1e12,\"pressure\":1,\"humidity\":1}]")
                .when().post("/api/v1/ingest")
                .then().statusCode(202).body("accepted", equalTo(1)).body("rejected[0].reason", equalTo("out_of_range"));
        awaitAccounted(ids);
    }

    @Test
    void kafka_keyedRecords_scoredAndOffsetsCommittedAfterRouting() throws Exception {
        SensorData data = new SensorData(5);
        Set<String> normal = new HashSet<>();
        Set<String> outliers = new HashSet<>();
        Properties props = new Properties();
        props.put("bootstrap.servers", KafkaResource.bootstrapServers());
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 1200; i++) {
                String key = "kafka-sensor-" + (i % 2);
                boolean outlier = i >= 800 && i % 100 == 0;
                String id = "k-" + i;
                producer.send(new ProducerRecord<>(KafkaResource.POINTS_TOPIC, key,
                        SensorData.json(id, key, outlier ? data.outlier() : data.normal())));
                (outlier ? outliers : normal).add(id);
            }
            producer.send(new ProducerRecord<>(KafkaResource.POINTS_TOPIC, "kafka-sensor-0", "not json at all"));
            producer.send(new ProducerRecord<>(KafkaResource.POINTS_TOPIC, "kafka-sensor-1",
                    "{\"id\":\"k-inf\",\"temperature\":\"-Infinity\",\"pressure\":1,\"humidity\":1}"));
        }
        Set<String> all = new HashSet<>(normal);
        all.addAll(outliers);
        all.add("k-inf");
        awaitAccounted(all);
        assertSeverities(normal.stream().filter(id -> Integer.parseInt(id.substring(2)) >= 600)
                .collect(Collectors.toSet()), outliers);
        assertEquals("not_finite", rejection("k-inf").get("reason"));
        assertEquals("kafka-sensor-1", rejection("k-inf").get("key"));
        assertEquals("kafka-sensor-1", rejection("k-inf").get("client"), "a Kafka rejection names its client");
        assertTrue(mark.read(DIRS.rejected()).stream().anyMatch(r -> "kafka".equals(r.get("source"))
                && "malformed".equals(r.get("reason")) && "not json at all".equals(r.get("original"))));

        Properties adminProps = new Properties();
        adminProps.put("bootstrap.servers", KafkaResource.bootstrapServers());
        try (Admin admin = Admin.create(adminProps)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("vigil")
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < 2; p++) {
                    latest.put(new TopicPartition(KafkaResource.POINTS_TOPIC, p), OffsetSpec.latest());
                }
                admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, end) -> {
                    if (end.offset() > 0) {
                        assertTrue(committed.containsKey(tp), "nothing committed for " + tp);
                        assertEquals(end.offset(), committed.get(tp).offset(), tp.toString());
                    }
                });
            });
        }
    }

    @Test
    void jms_messagesAndArrays_scoredInTransactionsWithoutAConnectionPerMessage() throws Exception {
        SensorData data = new SensorData(6);
        Set<String> ids = new HashSet<>();
        long connectionsBefore = ArtemisResource.connectionsAccepted();
        try (JMSContext context = jms.createContext()) {
            var queue = context.createQueue("vigil.points");
            for (int i = 0; i < 300; i++) {
                TextMessage m = context.createTextMessage(SensorData.json("j-" + i, "ignored", data.normal())
                        .replace("\"key\":\"ignored\",", ""));
                m.setStringProperty("key", "jms-sensor");
                context.createProducer().send(queue, m);
                ids.add("j-" + i);
            }
            String array = "[" + SensorData.json("j-a1", "jms-sensor", data.normal()) + ","
                    + SensorData.json("j-a2", "jms-sensor", data.outlier()) + "]";
            context.createProducer().send(queue, array);
            context.createProducer().send(queue, "<xml>not json</xml>");
            context.createProducer().send(queue, "{\"id\":\"j-long-key\",\"key\":\"" + "k".repeat(150)
                    + "\",\"temperature\":1,\"pressure\":1,\"humidity\":1}");
        }
        ids.add("j-a1");
        ids.add("j-a2");
        ids.add("j-long-key");
        awaitAccounted(ids);
        assertEquals("jms-sensor", outcomes().get("j-0").get("key"));
        assertTrue(Set.of("high", "critical").contains(outcomes().get("j-a2").get("severity")));
        assertEquals("invalid_key", rejection("j-long-key").get("reason"));
        assertTrue(mark.read(DIRS.rejected()).stream().anyMatch(r -> "jms".equals(r.get("source"))
                && "malformed".equals(r.get("reason"))));
        // Each message is its own transaction, on the consumers' kept sessions: a transaction manager that opened a
        // connection per transaction made about one per message here. This test's sender and the broker probe
        // open a few.
        long connections = ArtemisResource.connectionsAccepted() - connectionsBefore;
        assertTrue(connections < 30, connections + " connections to the broker for 303 messages");
    }

    @Test
    void failingSink_redeliveredThenDeadLetteredWithTheError() throws IOException {
        // The medium sink's folder is a regular file while this test runs: its results must reach the dead letter.
        Path folder = DIRS.sink("medium").getParent();
        Path saved = folder.resolveSibling("medium.saved");
        if (Files.exists(folder)) {
            Files.move(folder, saved);
        }
        Files.writeString(folder, "not a folder");
        try {
            SensorData data = new SensorData(7);
            StringBuilder csv = new StringBuilder(SensorData.CSV_HEADER).append('\n');
            for (int i = 0; i < 2000; i++) {
                csv.append(SensorData.csv("dl-" + i, "dead-letter-sensor", data.normal())).append('\n');
            }
            SensorData.drop(DIRS.inbox(), "many.csv", csv.toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> mark.read(DIRS.deadLetter()).stream()
                    .anyMatch(d -> "medium".equals(d.get("sink"))));
            Map<String, Object> letter = mark.read(DIRS.deadLetter()).stream()
                    .filter(d -> "medium".equals(d.get("sink"))).findFirst().orElseThrow();
            assertTrue(String.valueOf(letter.get("error")).contains("Exception"), letter.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> record = (Map<String, Object>) letter.get("record");
            assertEquals("medium", record.get("severity"));
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                ids.add("dl-" + i);
            }
            awaitAccounted(ids);
            given().when().get(metricsUrl).then().statusCode(200)
                    .body(containsString("vigil_dead_letters_total{sink=\"medium\"}"));
        } finally {
            Files.delete(folder);
            if (Files.exists(saved)) {
                Files.move(saved, folder);
            }
        }
    }

    @Test
    void metrics_countPointsBySourceAndRejectionsByReason() {
        api().contentType("application/json")
                .body("[{\"id\":\"m-1\",\"key\":\"metrics-sensor\",\"a\":\"nope\"},{\"id\":\"m-2\",\"key\":\"metrics-sensor\",\"a\":1}]")
                .when().post("/api/v1/score").then().statusCode(200);
        String metrics = given().when().get(metricsUrl).then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("vigil_points_rejected_total{reason=\"not_a_number\",source=\"http\"}"), metrics);
        assertTrue(metrics.contains("vigil_points_received_total{source=\"http\"}"));
        assertTrue(metrics.contains("vigil_points_scored_total{severity=\"low\",source=\"http\",state=\"healthy\"}"));
    }
}
