package dev.vigil.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.KafkaResource;
import dev.vigil.testing.VigilProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scale-out over Kafka partitions, with the packaged jar: two Vigil processes in one consumer group on a
 * 4-partition topic of a real (in-JVM, KRaft) broker, each with its own working folder and result file but one
 * shared checkpoint folder. The second process joins after the first half of the stream (while the first may still be
 * scoring it) and the second half waits until it holds partitions; later
 * it is stopped (SIGTERM), and the first takes its partitions over and restores its keys from their checkpoints.
 *
 * <p>Every threshold is 1.0, so every result is {@code low} and one batch is one append: the file order is the
 * scoring order, which lets the test check per-key order. Detection quality is not the subject here.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ScaleOutIT {
    private static final String TOPIC = "scale-points";
    private static final String GROUP = "scale-out-it";
    private static final int PARTITIONS = 4;
    /** Consumer threads per process (the default): two processes fill the four partitions, one each. */
    private static final int CONSUMERS = 2;
    private static final int KEYS = 200;
    private static final int POINTS_PER_KEY = 50;
    private static final int POINTS_AFTER_STOP = 10;
    private static final int MAX_POLL_RECORDS = 100;
    private static final Duration SCORED_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaResource kafka = new KafkaResource();
    private final List<Vigil> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Vigil v : started) {
            v.process().close();
        }
        kafka.stop();
    }

    @Test
    void twoProcessesOneGroup_rebalanceAndTakeOver_everyPointScoredInOrderAndKeysRestored() throws Exception {
        long begin = System.nanoTime();
        Path root = Path.of("target/scale-out-it").toAbsolutePath();
        VigilProcess.deleteTree(root);
        Path checkpoints = Files.createDirectories(root.resolve("checkpoints"));
        String brokers = kafka.start().get("vigil.kafka.brokers");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        try (KafkaProducer<String, String> producer = producer(brokers)) {
            Vigil a = start("a", root, checkpoints, brokers);
            // Half the stream, then the second process joins while the first works through it.
            send(producer, 0, POINTS_PER_KEY / 2);
            Vigil b = start("b", root, checkpoints, brokers);
            // On an idle machine a may be through the first half before b is ready; the second half waits for b's
            // partitions, so b always has points to score.
            awaitBothAssigned(brokers);
            send(producer, POINTS_PER_KEY / 2, POINTS_PER_KEY);
            Set<String> all = ids(0, POINTS_PER_KEY);
            awaitScored(all, a, b);

            // Every point at least once; a point scored twice only across the two processes (a hand-over),
            // never twice by one process; and no more than one poll per partition.
            Map<String, Integer> timesA = counts(a.results());
            Map<String, Integer> timesB = counts(b.results());
            int duplicates = 0;
            for (String id : all) {
                int n = timesA.getOrDefault(id, 0) + timesB.getOrDefault(id, 0);
                assertTrue(n >= 1, id + " was not scored");
                duplicates += n - 1;
            }
            assertTrue(timesA.values().stream().allMatch(n -> n == 1), "a scored some point twice");
            assertTrue(timesB.values().stream().allMatch(n -> n == 1), "b scored some point twice");
            // A commit refused during the rebalance (RebalanceInProgressException) is made in the revocation callback
            // (PartitionHandover); only if that fails too, or a session expires under load, is up to one batch per
            // moving partition read again by the new owner.
            assertTrue(duplicates <= PARTITIONS * MAX_POLL_RECORDS, duplicates + " duplicates");
            assertInOrderPerKey(a);
            assertInOrderPerKey(b);
            Set<String> keysOfB = keys(b.results());
            Set<String> keysOfA = keys(a.results());
            assertFalse(keysOfB.isEmpty(), "b never got a partition");
            Set<String> moved = new HashSet<>(keysOfB);
            moved.retainAll(keysOfA);
            System.out.printf(Locale.ROOT, "ScaleOutIT: %d points, %d scored twice; a scored %d keys, b %d, %d keys moved"
                    + " from a to b at the rebalance; b restored %d keys from checkpoints%n", all.size(), duplicates,
                    keysOfA.size(), keysOfB.size(), moved.size(), b.restoredKeys());
            assertTrue(b.restoredKeys() >= moved.size(), "b restores every key a had scored before the move");

            // Stop b (SIGTERM): it checkpoints its keys as its partitions are revoked; a takes them over.
            long restoredBefore = a.restoredKeys();
            long stopAt = System.nanoTime();
            b.process().stop();
            // The JVM reports a SIGTERM as 143 after its shutdown hooks (Quarkus' graceful shutdown) have run.
            assertTrue(b.process().exitCode() == 0 || b.process().exitCode() == 143, "b stopped cleanly: exit code " + b.process().exitCode());
            send(producer, POINTS_PER_KEY, POINTS_PER_KEY + POINTS_AFTER_STOP);
            Set<String> afterStop = ids(POINTS_PER_KEY, POINTS_PER_KEY + POINTS_AFTER_STOP);
            awaitScored(afterStop, a);
            long takeOverMs = (System.nanoTime() - stopAt) / 1_000_000;
            Map<String, Integer> timesAfter = counts(a.results());
            assertTrue(afterStop.stream().allMatch(id -> timesAfter.getOrDefault(id, 0) == 1),
                    "a scores each point after the stop once");
            assertInOrderPerKey(a);
            long restoredByTakeOver = a.restoredKeys() - restoredBefore;
            // Every key b held comes back to a through its checkpoint. So do keys of b's partitions that b never
            // saw before it stopped: a released them at the first hand-over and finds its own checkpoint of them.
            assertTrue(restoredByTakeOver >= keysOfB.size() && restoredByTakeOver <= KEYS,
                    "keys a restored when it took b's partitions over: " + restoredByTakeOver + ", b held "
                            + keysOfB.size());
            System.out.printf(Locale.ROOT, "ScaleOutIT: b stopped; a restored %d keys and scored the next %d points"
                    + " %d ms after the stop; whole test %d s%n", restoredByTakeOver, afterStop.size(), takeOverMs,
                    (System.nanoTime() - begin) / 1_000_000_000);
        }
    }

    /** Until every consumer of both processes is in the group and holds a partition. */
    private static void awaitBothAssigned(String brokers) throws Exception {
        long deadline = System.nanoTime() + SCORED_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers))) {
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
                if (group.members().size() == 2 * CONSUMERS
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the group did not give both processes a partition within "
                + SCORED_TIMEOUT.toSeconds() + " s");
    }

    // ---------------------------------------------------------------------------------------------------------
    // The stream: KEYS keys, point i of key k has the id "k017-00042"; the record key is the entity key.

    private static String key(int k) {
        return String.format(Locale.ROOT, "k%03d", k);
    }

    private static String id(int k, int i) {
        return String.format(Locale.ROOT, "%s-%05d", key(k), i);
    }

    private static Set<String> ids(int from, int to) {
        Set<String> ids = new HashSet<>();
        for (int i = from; i < to; i++) {
            for (int k = 0; k < KEYS; k++) {
                ids.add(id(k, i));
            }
        }
        return ids;
    }

    private static KafkaProducer<String, String> producer(String brokers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Points {@code from} (inclusive) to {@code to} of every key, interleaved across keys, in order per key. */
    private static void send(KafkaProducer<String, String> producer, int from, int to) {
        for (int i = from; i < to; i++) {
            for (int k = 0; k < KEYS; k++) {
                Random r = new Random(31L * k + i);
                String json = String.format(Locale.ROOT, "{\"id\":\"%s\",\"temperature\":%.4f,\"pressure\":%.4f}",
                        id(k, i), 20 + r.nextGaussian(), 1000 + 5 * r.nextGaussian());
                producer.send(new ProducerRecord<>(TOPIC, key(k), json));
            }
        }
        producer.flush();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checks on the result files.

    private static Map<String, Integer> counts(List<Map<String, Object>> results) {
        Map<String, Integer> n = new HashMap<>();
        results.forEach(r -> n.merge((String) r.get("id"), 1, Integer::sum));
        return n;
    }

    private static Set<String> keys(List<Map<String, Object>> results) {
        Set<String> keys = new HashSet<>();
        results.forEach(r -> keys.add((String) r.get("key")));
        return keys;
    }

    /** In each process's file, every key's points come in the order they were produced. */
    private static void assertInOrderPerKey(Vigil v) {
        Map<String, String> last = new HashMap<>();
        for (Map<String, Object> r : v.results()) {
            assertEquals("low", r.get("severity"), "every threshold is 1.0: " + r);
            String key = (String) r.get("key");
            String id = (String) r.get("id");
            assertTrue(id.startsWith(key + "-"), "the entity key is the record key: " + r);
            String before = last.put(key, id);
            assertTrue(before == null || before.compareTo(id) < 0, v.name() + ": " + id + " after " + before);
        }
    }

    private void awaitScored(Set<String> ids, Vigil... processes) throws InterruptedException {
        long deadline = System.nanoTime() + SCORED_TIMEOUT.toNanos();
        Set<String> missing = new HashSet<>(ids);
        while (System.nanoTime() < deadline) {
            for (Vigil v : processes) {
                v.results().forEach(r -> missing.remove((String) r.get("id")));
            }
            if (missing.isEmpty()) {
                return;
            }
            Thread.sleep(250);
        }
        StringBuilder logs = new StringBuilder();
        for (Vigil v : processes) {
            logs.append('\n').append(v.process().logTail());
        }
        throw new AssertionError(missing.size() + " of " + ids.size() + " points not scored within "
                + SCORED_TIMEOUT.toSeconds() + " s, e.g. " + missing.stream().sorted().limit(5).toList() + logs);
    }

    // ---------------------------------------------------------------------------------------------------------
    // A Vigil process: its own folder and result file, the shared checkpoint folder, every threshold 1.0.

    private Vigil start(String name, Path root, Path checkpoints, String brokers) throws Exception {
        Path dir = root.resolve(name);
        String sink = "file:" + dir.resolve("out") + "?fileName=results.jsonl&fileExist=Append";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.checkpoint.dir", checkpoints.toString());
        p.put("vigil.kafka.brokers", brokers);
        p.put("vigil.kafka.topic", TOPIC);
        p.put("vigil.kafka.group-id", GROUP);
        p.put("vigil.kafka.max-poll-records", Integer.toString(MAX_POLL_RECORDS));
        p.put("vigil.kafka.consumers", Integer.toString(CONSUMERS));
        p.put("vigil.kafka.poll-timeout", "200");
        // The broker's smallest session timeout: a member that vanished is noticed in seconds.
        p.put("vigil.kafka.session-timeout", "6000");
        p.put("vigil.kafka.heartbeat-interval", "500");
        for (String t : List.of("medium", "high", "critical", "anomaly")) {
            p.put("vigil.thresholds." + t, "1.0");
        }
        for (String s : List.of("low", "medium", "high", "critical")) {
            p.put("vigil.sink." + s, sink);
        }
        Vigil v = new Vigil(VigilProcess.start(name, dir, p));
        started.add(v);
        return v;
    }

    private record Vigil(VigilProcess process) {
        String name() {
            return process.name;
        }

        List<Map<String, Object>> results() {
            return JsonLines.read(process.dir.resolve("out/results.jsonl"));
        }

        /**
         * Keys restored from checkpoints, from {@code GET /api/v1/status}. (Not from {@code /q/metrics}: Micrometer
         * holds the function counters' suppliers weakly, and after a GC that series may stop moving.)
         */
        @SuppressWarnings("unchecked")
        long restoredKeys() throws Exception {
            Map<String, Object> checkpoints = (Map<String, Object>) process.status().get("checkpoints");
            return ((Number) checkpoints.get("restored")).longValue();
        }
    }
}
