package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.KafkaResource;
import dev.vigil.testing.SinkMark;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A Kafka sink (the high sink of the profile, one record per result) whose topic does not exist on a broker that does
 * not create topics: a group's records wait for the topic (each at most {@code maxBlockMs}), are redelivered with
 * back-off, then dead-lettered; once the topic is created the results reach it. Then a partial failure: a group
 * whose wide results are larger than the sink sends ({@code maxRequestSize}), between results it sends: only the
 * wide ones are redelivered
 * and dead-lettered, the others are written once. Nothing is lost or written twice, counted by id. (No other test
 * creates the topic or sends a high result.)
 */
@QuarkusTest
@TestProfile(TestProfiles.TestModels.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaSinkOutageTest {
    static final String TOPIC = TestProfiles.TestModels.HIGH_TOPIC;
    static final String KEY = "outage-kafka";
    /** A key whose points have so many features that each result is larger than the sink's producer sends. */
    static final String WIDE_KEY = "outage-kafka-wide";
    static final int WIDE_FEATURES = 80;
    static final String SEVERITY = "high";
    static final long SEED = 412L;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private static Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaResource.bootstrapServers());
        return p;
    }

    private static SinkOutages.Sent score(String idPrefix, int n, Random random) {
        return SinkOutages.score(KEY, idPrefix, n, TestProfiles.TestModels.HIGH, SEVERITY, random);
    }

    /**
     * The ids of {@code key}'s results on the topic, read from its beginning until every id {@code awaited} is
     * there (or 30 s).
     */
    private static List<String> resultsOnTopic(String key, List<String> awaited) {
        Properties p = client();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.currentTimeMillis() + 30_000;
            while (!ids.containsAll(awaited) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> add(r, key, ids));
            }
            // Anything beyond the expected (a record written twice) arrives within another poll or two.
            for (int i = 0; i < 2; i++) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> add(r, key, ids));
            }
        }
        return ids;
    }

    private static void add(ConsumerRecord<String, String> record, String key, List<String> ids) {
        Map<String, Object> result = JsonLines.parse(record.value());
        if (key.equals(result.get("key"))) {
            ids.add((String) result.get("id"));
        }
    }

    @Test
    @Order(1)
    void topicMissing_redeliveredWithBackOff_thenDeadLettered_thenDeliveredOnceTheTopicExists() throws Exception {
        SinkMark mark = SinkMark.of(TestProfiles.TestModels.DIRS.deadLetter());
        SinkOutages.Counters before = SinkOutages.Counters.read(metrics, SEVERITY);
        Random random = new Random(SEED);
        List<String> sent = new ArrayList<>();
        List<String> whileDown = new ArrayList<>();
        long slowest = 0;
        long fastest = Long.MAX_VALUE;
        for (int r = 0; r < 2; r++) {
            SinkOutages.Sent s = score("down-" + r, 3, random);
            whileDown.addAll(s.ids());
            slowest = Math.max(slowest, s.millis());
            fastest = Math.min(fastest, s.millis());
        }
        sent.addAll(whileDown);
        // The group's records sent together, the failed ones redelivered 3 times with back-off (each attempt waiting
        // for the topic).
        assertTrue(fastest >= SinkOutages.BACK_OFF_MILLIS, "3 failing records took only " + fastest
                + " ms: not redelivered with back-off");
        List<String> dead = SinkOutages.deadLetterIds(mark, SEVERITY, KEY);
        assertEquals(whileDown, dead, "every result of the outage is dead-lettered, once");

        try (Admin admin = Admin.create(client())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<String> after = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            after.addAll(score("after-" + r, 10, random).ids());
        }
        sent.addAll(after);
        List<String> delivered = resultsOnTopic(KEY, after);
        assertTrue(delivered.containsAll(after), "the sink takes results again once the topic exists: " + delivered);

        System.out.printf(Locale.ROOT, "KafkaSinkOutageTest: seed %d; 3 failing records took %d-%d ms to dead-letter"
                + " (back-off at least %d ms per group, maxBlockMs %d per record and attempt)%n", SEED, fastest, slowest,
                SinkOutages.BACK_OFF_MILLIS, TestProfiles.TestModels.MAX_BLOCK_MS);
        SinkOutages.assertAccounted("KafkaSinkOutageTest", metrics, SEVERITY, before, sent, delivered, dead);
    }

    /**
     * One group (one request, one severity) of results the sink sends and results too large for it, interleaved: the
     * producer refuses the wide ones; the sink redelivers those, and only those, then dead-letters them; the narrow
     * ones are on the topic once each, in order.
     */
    @Test
    @Order(2)
    void partialSendFailure_onlyFailedRecordsRedeliveredThenDeadLettered_othersWrittenOnce() throws Exception {
        SinkMark mark = SinkMark.of(TestProfiles.TestModels.DIRS.deadLetter());
        SinkOutages.Counters before = SinkOutages.Counters.read(metrics, SEVERITY);
        Random random = new Random(SEED + 1);
        StringBuilder body = new StringBuilder("[");
        List<String> narrow = new ArrayList<>();
        List<String> wide = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            boolean isWide = i % 4 == 1;
            String id = (isWide ? "wide-" : "narrow-") + i;
            (isWide ? wide : narrow).add(id);
            body.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"key\":\"%s\",\"id\":\"%s\",\"score\":%.2f", isWide ? WIDE_KEY : KEY, id,
                    TestProfiles.TestModels.HIGH));
            if (isWide) {
                for (int f = 0; f < WIDE_FEATURES; f++) {
                    body.append(String.format(Locale.ROOT, ",\"a_rather_long_feature_name_%02d\":%.6f", f,
                            random.nextGaussian()));
                }
            } else {
                body.append(String.format(Locale.ROOT, ",\"cpu\":%.4f,\"mem\":%.4f", 50 + random.nextGaussian(),
                        70 + random.nextGaussian()));
            }
            body.append('}');
        }
        List<String> severities = TestApiKeys.api().contentType("application/json")
                .body(body.append(']').toString()).when().post("/api/v1/score").then().statusCode(200)
                .extract().path("results.severity");
        assertEquals(20, severities.size());
        assertTrue(severities.stream().allMatch(SEVERITY::equals), severities.toString());

        List<String> delivered = resultsOnTopic(KEY, narrow);
        List<String> wideDelivered = resultsOnTopic(WIDE_KEY, List.of());
        assertEquals(List.of(), wideDelivered, "a result larger than the sink sends is not on it");
        assertEquals(wide, SinkOutages.deadLetterIds(mark, SEVERITY, WIDE_KEY), "every wide result dead-lettered, once");
        assertEquals(List.of(), SinkOutages.deadLetterIds(mark, SEVERITY, KEY), "no narrow result dead-lettered");
        assertEquals(narrow, delivered.stream().filter(narrow::contains).toList(),
                "the narrow results on the topic once each, in the group's order");
        List<String> sent = new ArrayList<>(narrow);
        sent.addAll(wide);
        SinkOutages.assertAccounted("KafkaSinkOutageTest partial failure", metrics, SEVERITY, before, sent,
                delivered.stream().filter(sent::contains).toList(), SinkOutages.deadLetterIds(mark, SEVERITY, WIDE_KEY));
    }
}
