package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.KafkaResource;
import dev.vigil.testing.TestDirs;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A Kafka sink whose topic does not exist on a broker that does not create topics: each record waits for the topic
 * (at most {@code maxBlockMs}), is redelivered with back-off, then dead-lettered; once the topic is created the
 * results reach it; nothing is lost or written twice.
 */
@QuarkusTest
@TestProfile(KafkaSinkOutageTest.Profile.class)
@WithTestResource(value = KafkaResource.class,
        initArgs = @ResourceArg(name = "auto.create.topics.enable", value = "false"))
class KafkaSinkOutageTest {
    static final TestDirs DIRS = new TestDirs("kafka-sink-outage");
    static final String TOPIC = "vigil-results-outage";
    static final long SEED = 412L;
    static final long MAX_BLOCK_MS = 300;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = SinkOutages.overrides(DIRS);
            // A producer waits for a missing topic at most maxBlockMs: a short outage test.
            c.put("vigil.sink.critical", "kafka:" + TOPIC + "?brokers={{vigil.kafka.brokers}}&maxBlockMs="
                    + MAX_BLOCK_MS + "&requestTimeoutMs=2000&deliveryTimeoutMs=4000");
            c.put("vigil.sink.per-record.critical", "true");
            return c;
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private static Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaResource.bootstrapServers());
        return p;
    }

    /** The ids of the results on the topic, read from its beginning until {@code expected} are there (or 30 s). */
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
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    ids.add((String) JsonLines.parse(r.value()).get("id"));
                }
            }
            // Anything beyond the expected (a record written twice) arrives within another poll or two.
            for (int i = 0; i < 2; i++) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> ids.add((String) JsonLines.parse(r.value()).get("id")));
            }
        }
        return ids;
    }

    @Test
    void topicMissing_redeliveredWithBackOff_thenDeadLettered_thenDeliveredOnceTheTopicExists() throws Exception {
        Random random = new Random(SEED);
        List<String> sent = new ArrayList<>();
        List<String> whileDown = new ArrayList<>();
        long slowest = 0;
        long fastest = Long.MAX_VALUE;
        for (int r = 0; r < 2; r++) {
            SinkOutages.Sent s = SinkOutages.score("down-" + r, 3, random);
            whileDown.addAll(s.ids());
            slowest = Math.max(slowest, s.millis());
            fastest = Math.min(fastest, s.millis());
        }
        sent.addAll(whileDown);
        // One message per result, each redelivered 3 times with back-off (and each attempt waiting for the topic).
        assertTrue(fastest >= 3 * SinkOutages.BACK_OFF_MILLIS, "3 failing records took only " + fastest
                + " ms: not redelivered with back-off");
        List<String> dead = SinkOutages.deadLetterIds(DIRS, "critical");
        assertEquals(whileDown, dead, "every result of the outage is dead-lettered, once");

        try (Admin admin = Admin.create(client())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        List<String> after = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            after.addAll(SinkOutages.score("after-" + r, 10, random).ids());
        }
        sent.addAll(after);
        List<String> delivered = resultsOnTopic(after.size());
        assertTrue(delivered.containsAll(after), "the sink takes results again once the topic exists: " + delivered);

        System.out.printf(Locale.ROOT, "KafkaSinkOutageTest: seed %d; 3 failing records took %d-%d ms to dead-letter"
                + " (back-off at least %d ms each, maxBlockMs %d per attempt)%n", SEED, fastest, slowest,
                SinkOutages.BACK_OFF_MILLIS, MAX_BLOCK_MS);
        SinkOutages.assertAccounted("KafkaSinkOutageTest", metrics, sent, delivered, dead);
    }
}
