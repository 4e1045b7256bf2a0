package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.KafkaResource;
import dev.vigil.testing.SinkMark;
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
import org.junit.jupiter.api.Test;

/**
 * A Kafka sink (the high sink of the profile) whose topic does not exist on a broker that does not create topics:
 * each record waits for the topic (at most {@code maxBlockMs}), is redelivered with back-off, then dead-lettered;
 * once the topic is created the results reach it; nothing is lost or written twice. (No other test creates the
 * topic or sends a high result.)
 */
@QuarkusTest
@TestProfile(TestProfiles.TestModels.class)
class KafkaSinkOutageTest {
    static final String TOPIC = TestProfiles.TestModels.HIGH_TOPIC;
    static final String KEY = "outage-kafka";
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

    /** The ids of this test's results on the topic, read from its beginning until {@code expected} are there (or 30 s). */
    private static List<String> resultsOnTopic(int expected) {
        Properties p = client();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.currentTimeMillis() + 30_000;
            while (ids.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> add(r, ids));
            }
            // Anything beyond the expected (a record written twice) arrives within another poll or two.
            for (int i = 0; i < 2; i++) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> add(r, ids));
            }
        }
        return ids;
    }

    private static void add(ConsumerRecord<String, String> record, List<String> ids) {
        Map<String, Object> result = JsonLines.parse(record.value());
        if (KEY.equals(result.get("key"))) {
            ids.add((String) result.get("id"));
        }
    }

    @Test
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
        // One message per result, each redelivered 3 times with back-off (and each attempt waiting for the topic).
        assertTrue(fastest >= 3 * SinkOutages.BACK_OFF_MILLIS, "3 failing records took only " + fastest
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
        List<String> delivered = resultsOnTopic(after.size());
        assertTrue(delivered.containsAll(after), "the sink takes results again once the topic exists: " + delivered);

        System.out.printf(Locale.ROOT, "KafkaSinkOutageTest: seed %d; 3 failing records took %d-%d ms to dead-letter"
                + " (back-off at least %d ms each, maxBlockMs %d per attempt)%n", SEED, fastest, slowest,
                SinkOutages.BACK_OFF_MILLIS, TestProfiles.TestModels.MAX_BLOCK_MS);
        SinkOutages.assertAccounted("KafkaSinkOutageTest", metrics, SEVERITY, before, sent, delivered, dead);
    }
}
