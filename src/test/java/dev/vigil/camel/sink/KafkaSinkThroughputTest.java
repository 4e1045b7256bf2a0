package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.testing.KafkaResource;
import dev.vigil.testing.ResultIds;
import dev.vigil.testing.TestProfiles;
import dev.vigil.testing.ThreadCpu;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka in, one record per result out (the critical sink of the profile: a per-record Kafka sink): points over many
 * keys are produced to the points topic and every result awaited on the results topic, once each, counted by id.
 * Prints the throughput end to end, from the first point produced to the last result read (a figure, not a timed
 * assertion). {@code -Dkafka-sink-bench.points=200000 -Dkafka-sink-bench.warm-up=100000} for a measurement; the
 * default is a quick check.
 */
@QuarkusTest
@TestProfile(TestProfiles.TestModels.class)
@Timeout(value = 11, unit = TimeUnit.MINUTES)
class KafkaSinkThroughputTest {
    static final int POINTS = Integer.getInteger("kafka-sink-bench.points", 5_000);
    static final int KEYS = Integer.getInteger("kafka-sink-bench.keys", 1_000);
    /** Points before the timed run: the JIT compiles the path meanwhile. {@code -Dkafka-sink-bench.warm-up=N}. */
    static final int WARM_UP = Integer.getInteger("kafka-sink-bench.warm-up", Math.min(POINTS, 5_000));
    /** Each run's bound: two of them within the class's timeout. */
    static final Duration BOUND = Duration.ofMinutes(5);

    static Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaResource.bootstrapServers());
        return p;
    }

    @Test
    void perRecordKafkaSink_manyKeys_everyResultOnTheTopicOnce() throws Exception {
        run("tput-warm", WARM_UP);
        long cpu = cpuNanos();
        ThreadCpu threads = ThreadCpu.now();
        double perSecond = run("tput", POINTS);
        System.out.printf(Locale.ROOT, "KafkaSinkThroughputTest: %d points over %d keys, Kafka in, one record per"
                + " result out: %.0f points/s end to end, %.1f µs CPU per point (%s)%n", POINTS, KEYS, perSecond,
                (cpuNanos() - cpu) / 1e3 / POINTS,
                ThreadCpu.perPoint(ThreadCpu.now().since(threads, ThreadCpu::kafkaGroup), POINTS));
    }

    /**
     * CPU time of the whole test JVM (Vigil, the broker, the test's clients): steadier than wall time on a shared
     * machine, and what bounds the throughput once nothing waits.
     */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Produces {@code n} critical points, awaits their results on the critical topic; points per second. */
    private static double run(String prefix, int n) throws Exception {
        TopicPartition results = new TopicPartition(KafkaResource.CRITICAL_TOPIC, 0);
        Properties c = client();
        c.put("key.deserializer", StringDeserializer.class.getName());
        c.put("value.deserializer", StringDeserializer.class.getName());
        c.put("max.poll.records", "5000");
        Map<String, Integer> seen = new HashMap<>(n * 2);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.assign(List.of(results));
            consumer.seekToEnd(List.of(results));
            consumer.position(results);
            long start = System.nanoTime();
            produce(n, i -> String.format(Locale.ROOT, "{\"id\":\"%s-%d\",\"key\":\"%s\",\"score\":%.2f,\"cpu\":%d}",
                    prefix, i, keyOf(i), TestProfiles.TestModels.CRITICAL, i % 100));
            long deadline = start + BOUND.toNanos();
            long last = start;
            while (seen.size() < n && System.nanoTime() < deadline) {
                int before = seen.size();
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    ResultIds.count(r.value(), prefix, seen);
                }
                if (seen.size() > before) {
                    last = System.nanoTime();
                }
            }
            // A record written twice would follow within a poll or two.
            for (int i = 0; i < 2; i++) {
                for (var r : consumer.poll(Duration.ofMillis(300))) {
                    ResultIds.count(r.value(), prefix, seen);
                }
            }
            assertEquals(n, seen.size(), prefix + ": results on the topic");
            assertEquals(List.of(), ResultIds.twice(seen), prefix + ": results written twice");
            return n / ((last - start) / 1e9);
        }
    }

    /** Produces the {@code n} record values {@code point} makes to the points topic, keyed by {@link #keyOf}. */
    static void produce(int n, IntFunction<String> point) throws Exception {
        Properties p = client();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("linger.ms", "5");
        p.put("batch.size", "262144");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(KafkaResource.POINTS_TOPIC, keyOf(i), point.apply(i)));
            }
            producer.flush();
        }
    }

    /** The entity key of the {@code i}th point: {@code KEYS} keys in turn. */
    static String keyOf(int i) {
        return "bench-" + (i % KEYS);
    }
}
