package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.testing.ArtemisResource;
import dev.vigil.testing.ResultIds;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JMS in, with the route's per-message transactions, one-point messages over many keys: out to a file (the low
 * sink of the profile) and out to a per-record JMS sink (the medium sink, one message per result). Every result is
 * awaited once, counted by id; prints the throughput end to end, from the first message sent to the last result
 * seen (a figure, not a timed assertion). {@code -Djms-bench.points=50000} for a measurement, after a warm-up of 3,000
 * points; the default, 1,000 points without warm-up, is a quick check.
 */
@QuarkusTest
@TestProfile(TestProfiles.TestModels.class)
@Timeout(value = 11, unit = TimeUnit.MINUTES)
class JmsThroughputTest {
    static final int POINTS = Integer.getInteger("jms-bench.points", 1_000);
    static final int KEYS = Integer.getInteger("jms-bench.keys", 1_000);
    /** A measurement ({@code -Djms-bench.points}) warms the route up first; the quick check does not. */
    static final int WARM_UP = System.getProperty("jms-bench.points") == null ? 0 : Math.min(POINTS, 3_000);
    static final String POINTS_QUEUE = "vigil.points";
    /** Each run's bound: four of them within the class's timeout. */
    static final Duration BOUND = Duration.ofMinutes(2);

    @Test
    void jmsInFileOut_manyKeys_everyResultOnce() throws Exception {
        if (WARM_UP > 0) {
            run("warmup-file", WARM_UP, TestProfiles.TestModels.LOW, JmsThroughputTest::fileIds);
        }
        double perSecond = run("file", POINTS, TestProfiles.TestModels.LOW, JmsThroughputTest::fileIds);
        System.out.printf(Locale.ROOT, "JmsThroughputTest: %d one-point messages over %d keys, JMS in, results to a "
                + "file: %.0f points/s end to end%n", POINTS, KEYS, perSecond);
    }

    @Test
    void jmsInPerRecordJmsOut_manyKeys_everyResultOnce() throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(ArtemisResource.url());
                JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
                JMSConsumer results = context.createConsumer(context.createQueue(TestProfiles.TestModels.MEDIUM_QUEUE))) {
            Reader fromQueue = (prefix, seen) -> {
                for (String body = results.receiveBody(String.class, 200); body != null;
                        body = results.receiveBodyNoWait(String.class)) {
                    ResultIds.count(body, prefix, seen);
                }
            };
            if (WARM_UP > 0) {
                run("warmup-jms", WARM_UP, TestProfiles.TestModels.MEDIUM, fromQueue);
            }
            double perSecond = run("jms", POINTS, TestProfiles.TestModels.MEDIUM, fromQueue);
            System.out.printf(Locale.ROOT, "JmsThroughputTest: %d one-point messages over %d keys, JMS in, one JMS "
                    + "message per result out: %.0f points/s end to end%n", POINTS, KEYS, perSecond);
        }
    }

    /** Adds the ids of this run's results seen since the last call. */
    private interface Reader {
        void read(String prefix, Map<String, Integer> seen) throws Exception;
    }

    /** Sends {@code n} one-point messages scoring {@code score}, awaits each result once; points per second. */
    private static double run(String prefix, int n, double score, Reader reader) throws Exception {
        Map<String, Integer> seen = new HashMap<>(n * 2);
        long start = System.nanoTime();
        send(prefix, n, score);
        long deadline = start + BOUND.toNanos();
        long last = start;
        while (seen.size() < n && System.nanoTime() < deadline) {
            int before = seen.size();
            reader.read(prefix, seen);
            if (seen.size() > before) {
                last = System.nanoTime();
            } else {
                Thread.sleep(50);
            }
        }
        // A result written twice would follow within moments.
        Thread.sleep(500);
        reader.read(prefix, seen);
        assertEquals(n, seen.size(), prefix + ": results");
        assertEquals(List.of(), ResultIds.twice(seen), prefix + ": results written twice");
        return n / ((last - start) / 1e9);
    }

    private static void send(String prefix, int n, double score) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(ArtemisResource.url())) {
            // The sender is not the subject: it does not wait for the broker's receipt of each message.
            factory.setBlockOnDurableSend(false);
            try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
                Queue queue = context.createQueue(POINTS_QUEUE);
                JMSProducer producer = context.createProducer();
                for (int i = 0; i < n; i++) {
                    String key = "jms-bench-" + (i % KEYS);
                    producer.setProperty("key", key).send(queue, String.format(Locale.ROOT,
                            "{\"id\":\"%s-%d\",\"score\":%.2f,\"cpu\":%d}", prefix, i, score, i % 100));
                }
            }
        }
    }

    private static void fileIds(String prefix, Map<String, Integer> seen) throws Exception {
        Path file = TestProfiles.TestModels.LOW_RESULTS;
        if (!Files.exists(file)) {
            return;
        }
        seen.clear();
        try (Stream<String> lines = Files.lines(file)) {
            lines.forEach(line -> ResultIds.count(line, prefix, seen));
        }
    }
}
