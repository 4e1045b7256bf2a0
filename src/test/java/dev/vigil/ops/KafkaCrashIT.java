package dev.vigil.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.checkpoint.CheckpointFiles;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A crash of the packaged jar while it consumes Kafka: 20,000 keyed points (a seeded share of them invalid) on a
 * 4-partition topic of a real (in-JVM, KRaft) broker, results and rejections to Kafka topics (one message per
 * record). At a seeded moment, when between 20 % and 80 % of the ids have come out, the process is killed (SIGKILL:
 * no shutdown, no last checkpoint), then started again on the same folder, checkpoint folder and consumer group.
 * Each key's last points go on the topic only after the kill, so the restarted process meets every key.
 *
 * <p>What at-least-once allows: each consumer thread ({@code vigil.kafka.consumers}) routes one batch (at most
 * {@code vigil.kafka.max-poll-records} records, from one or several polls), sends its offsets' commit and takes the
 * next without waiting for the broker's answer, so at the kill at most two batches per thread are routed but not
 * committed (the one being routed, and the one before it if its commit had not arrived), and the restarted process
 * reads them again. So: every id out at least once; at most once from each process; at most two batches per
 * consumer thread of duplicates in all.
 * The restarted process takes each key's model from its newest checkpoint: its learned-points counter goes on from
 * the checkpoint's, not from zero.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaCrashIT {
    private static final String TOPIC = "crash-points";
    private static final String RESULTS = "crash-results";
    private static final String REJECTED = "crash-rejected";
    private static final int PARTITIONS = 4;
    private static final int KEYS = 200;
    private static final int POINTS_PER_KEY = 100;
    private static final int TOTAL = KEYS * POINTS_PER_KEY;
    /** Each key's points before this index are on the topic from the start; the rest go in after the kill. */
    private static final int BEFORE_KILL = 90;
    private static final double INVALID_SHARE = 0.005;
    private static final int MAX_POLL_RECORDS = 200;
    private static final int CONSUMERS = 2;
    /** Every key has a checkpoint by the earliest kill (20 % of its points). */
    private static final int CHECKPOINT_INTERVAL = 10;
    // Generous: at a load average of 12 the whole test took about a minute.
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration DONE_TIMEOUT = Duration.ofSeconds(180);

    /** The ways a point is made invalid, with the reason its rejection must carry. */
    private enum Invalid {
        NOT_A_NUMBER("not_a_number"), OUT_OF_RANGE("out_of_range"), MALFORMED("malformed");

        final String reason;

        Invalid(String reason) {
            this.reason = reason;
        }
    }

    private final KafkaResource kafka = new KafkaResource();
    private final List<VigilProcess> started = new ArrayList<>();
    private OutputWatch watch;

    @AfterEach
    void stopEverything() throws Exception {
        if (watch != null) {
            watch.close();
        }
        for (VigilProcess p : started) {
            p.close();
        }
        kafka.stop();
    }

    @Test
    void killMidStream_restart_everyPointOutAtLeastOnce_duplicatesAtMostTwoBatches_keysRestored() throws Exception {
        long seed = Long.getLong("vigil.test.seed", System.currentTimeMillis());
        Random random = new Random(seed);
        double killAt = 0.2 + 0.6 * random.nextDouble();
        Map<String, Invalid> invalid = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            for (int i = 1; i < POINTS_PER_KEY; i++) { // a key's first point is valid
                if (random.nextDouble() < INVALID_SHARE) {
                    invalid.put(id(k, i), Invalid.values()[random.nextInt(Invalid.values().length)]);
                }
            }
        }
        System.out.printf(Locale.ROOT, "KafkaCrashIT: seed %d (replay with -Dvigil.test.seed=%d), kill when %.1f %% of"
                + " the ids are out, %d invalid points%n", seed, seed, 100 * killAt, invalid.size());

        Path dir = Path.of("target/kafka-crash-it").toAbsolutePath();
        VigilProcess.deleteTree(dir);
        Path checkpoints = dir.resolve("checkpoints");
        String brokers = kafka.start().get("vigil.kafka.brokers");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1), new NewTopic(RESULTS, 1, (short) 1),
                    new NewTopic(REJECTED, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        produce(brokers, invalid, 0, BEFORE_KILL);
        watch = new OutputWatch(brokers);

        VigilProcess first = VigilProcess.start("crash", dir, "512m", properties(brokers, checkpoints));
        started.add(first);
        long target = Math.round(killAt * TOTAL);
        awaitOut(target, KILL_TIMEOUT, first);
        first.kill();
        long killedAt = System.nanoTime();
        long outAtKill = watch.distinctIds();
        // Everything in the output topics now came from the first process; everything after, from the second.
        Map<String, Long> boundary = endOffsets(brokers);
        Map<String, Long> learnedAtKill = CheckpointFiles.learnedOfNewest(checkpoints);
        System.out.printf(Locale.ROOT, "KafkaCrashIT: killed (SIGKILL) with %d of %d ids out (%.1f %%); %d keys had a"
                + " checkpoint%n", outAtKill, TOTAL, 100.0 * outAtKill / TOTAL, learnedAtKill.size());
        assertFalse(learnedAtKill.isEmpty(), "checkpoints were written before the crash");

        // The last points of every key go in only now: the first process may have routed all it had before the kill
        // was seen, and the restarted one must still meet every key to show that it restores it.
        produce(brokers, invalid, BEFORE_KILL, POINTS_PER_KEY);
        VigilProcess second = first.restart();
        started.add(second);
        long readyMs = (System.nanoTime() - killedAt) / 1_000_000;
        awaitOut(TOTAL, DONE_TIMEOUT, second);
        long doneMs = (System.nanoTime() - killedAt) / 1_000_000;
        long restored = restoredKeys(second);
        // SIGTERM: every key the second process holds is checkpointed, with its learned-points counter.
        second.stop();
        Map<String, Long> learnedAtEnd = CheckpointFiles.learnedOfNewest(checkpoints);

        Output out = Output.read(brokers, boundary);
        int duplicates = 0;
        Map<String, Integer> duplicatesPerKey = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            for (int i = 0; i < POINTS_PER_KEY; i++) {
                String id = id(k, i);
                Invalid kind = invalid.get(id);
                int before = out.before.getOrDefault(id, 0);
                int after = out.after.getOrDefault(id, 0);
                assertTrue(before + after >= 1, id + " never came out");
                assertTrue(before <= 1 && after <= 1, id + " came out " + before + " times before the kill and "
                        + after + " times after");
                if (kind == null) {
                    assertFalse(out.rejections.containsKey(id), id + " is valid but was rejected: "
                            + out.rejections.get(id));
                } else {
                    assertFalse(out.scored.contains(id), id + " is invalid but was scored");
                    assertEquals(kind.reason, out.rejections.get(id), "the reason " + id + " was rejected for");
                }
                duplicates += before + after - 1;
                duplicatesPerKey.merge(key(k), before + after - 1, Integer::sum);
            }
        }
        int maxPerKey = duplicatesPerKey.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        // Per consumer thread, one batch being routed and one whose commit may not have arrived: at most that many
        // records are routed twice.
        assertTrue(duplicates <= 2 * CONSUMERS * MAX_POLL_RECORDS, duplicates + " duplicates, more than two batches"
                + " per consumer (2 x " + CONSUMERS + " x " + MAX_POLL_RECORDS + ")");
        assertTrue(out.unexpected.isEmpty(), "output records that match no input point: " + out.unexpected);

        // The restarted process restores each key it meets from its newest checkpoint (lazily, as the Kafka source
        // does), so a key's learned-points counter goes on from the checkpoint: at the end it is the checkpoint's
        // plus the points the model scored after the restart (a key that started from zero would miss the first).
        int keysRestoredMet = 0;
        for (int k = 0; k < KEYS; k++) {
            String key = key(k);
            long atKill = learnedAtKill.getOrDefault(key, 0L);
            int scoredAfter = out.healthyAfterPerKey.getOrDefault(key, 0);
            if (atKill > 0 && scoredAfter > 0) {
                keysRestoredMet++;
            }
            assertEquals(atKill + scoredAfter, learnedAtEnd.getOrDefault(key, 0L), key + ": points learned at the"
                    + " end = the checkpoint's at the kill (" + atKill + ") + scored after the restart ("
                    + scoredAfter + ")");
        }
        assertTrue(restored > 0, "the restarted process restored keys from their checkpoints");
        assertEquals(keysRestoredMet, restored, "keys restored: every key with a checkpoint that came back");
        assertFalse(Files.exists(dir.resolve("data/dead-letter/dead-letter.jsonl")), "nothing was dead-lettered");

        System.out.printf(Locale.ROOT, "KafkaCrashIT: %d points (%d rejected) on %d partitions, max-poll-records %d;"
                + " killed at %.1f %% (%d ids out); %d duplicates in all, at most %d for one key (%d keys with any);"
                + " %d keys restored from checkpoints; restarted process ready %d ms after the kill, every id out %d ms"
                + " after it%n", TOTAL, invalid.size(), PARTITIONS, MAX_POLL_RECORDS, 100.0 * outAtKill / TOTAL,
                outAtKill, duplicates, maxPerKey, duplicatesPerKey.values().stream().filter(n -> n > 0).count(),
                restored, readyMs, doneMs);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The stream: point i of key k has the id "k017-00042"; the record key is the entity key.

    private static String key(int k) {
        return String.format(Locale.ROOT, "k%03d", k);
    }

    private static String id(int k, int i) {
        return String.format(Locale.ROOT, "%s-%05d", key(k), i);
    }

    private static String json(int k, int i, Invalid kind) {
        Random r = new Random(31L * k + i);
        double temperature = 20 + r.nextGaussian();
        double pressure = 1000 + 5 * r.nextGaussian();
        String id = id(k, i);
        if (kind == null) {
            return String.format(Locale.ROOT, "{\"id\":\"%s\",\"temperature\":%.4f,\"pressure\":%.4f}", id,
                    temperature, pressure);
        }
        return switch (kind) {
            case NOT_A_NUMBER -> String.format(Locale.ROOT, "{\"id\":\"%s\",\"temperature\":\"hot\",\"pressure\":%.4f}",
                    id, pressure);
            case OUT_OF_RANGE -> String.format(Locale.ROOT, "{\"id\":\"%s\",\"temperature\":%.4f,\"pressure\":1e12}",
                    id, temperature);
            case MALFORMED -> String.format(Locale.ROOT, "{\"id\":\"%s\",\"temperature\":%.4f,", id, temperature);
        };
    }

    /** Points {@code from} (inclusive) to {@code to} of every key, interleaved across keys, in order per key. */
    private static void produce(String brokers, Map<String, Invalid> invalid, int from, int to) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < to; i++) {
                for (int k = 0; k < KEYS; k++) {
                    producer.send(new ProducerRecord<>(TOPIC, key(k), json(k, i, invalid.get(id(k, i)))));
                }
            }
            producer.flush();
        }
    }

    private static Map<String, String> properties(String brokers, Path checkpoints) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.checkpoint.dir", checkpoints.toString());
        p.put("vigil.checkpoint.interval", Integer.toString(CHECKPOINT_INTERVAL));
        p.put("vigil.kafka.brokers", brokers);
        p.put("vigil.kafka.topic", TOPIC);
        p.put("vigil.kafka.group-id", "kafka-crash-it");
        p.put("vigil.kafka.max-poll-records", Integer.toString(MAX_POLL_RECORDS));
        p.put("vigil.kafka.consumers", Integer.toString(CONSUMERS));
        p.put("vigil.kafka.poll-timeout", "200");
        // The broker's smallest session timeout: the killed member's partitions are given to its successor in seconds.
        p.put("vigil.kafka.session-timeout", "6000");
        p.put("vigil.kafka.heartbeat-interval", "500");
        // A small forest keeps the keys well inside the memory budget (no evictions to blur "restored"), and a
        // generous timeout keeps the fallback out on a loaded machine: only the model counts learned points.
        p.put("vigil.model.params.num_trees", "25");
        p.put("vigil.breaker.timeout", "60000");
        String results = "kafka:" + RESULTS + "?brokers=" + brokers;
        // Grouped (the default): one record per group of results, one JSON line each. Per record, the sink waits
        // for each record's acknowledgement before the next, about 600 results a second here.
        for (String s : List.of("low", "medium", "high", "critical")) {
            p.put("vigil.sink." + s, results);
        }
        p.put("vigil.sink.rejected", "kafka:" + REJECTED + "?brokers=" + brokers);
        return p;
    }

    private void awaitOut(long ids, Duration timeout, VigilProcess process) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (watch.distinctIds() < ids) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError(watch.distinctIds() + " of " + ids + " ids out within " + timeout.toSeconds()
                        + " s\n" + process.logTail());
            }
            Thread.sleep(50);
        }
    }

    @SuppressWarnings("unchecked")
    private static long restoredKeys(VigilProcess p) throws Exception {
        Map<String, Object> checkpoints = (Map<String, Object>) p.status().get("checkpoints");
        return ((Number) checkpoints.get("restored")).longValue();
    }

    private static Map<String, Long> endOffsets(String brokers) {
        try (KafkaConsumer<String, String> c = consumer(brokers)) {
            Map<String, Long> ends = new HashMap<>();
            c.endOffsets(List.of(new TopicPartition(RESULTS, 0), new TopicPartition(REJECTED, 0)))
                    .forEach((tp, offset) -> ends.put(tp.topic(), offset));
            return ends;
        }
    }

    private static KafkaConsumer<String, String> consumer(String brokers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** The id of an output record: a result's or a rejection's id, or the id in a malformed record's original. */
    private static String idOf(Map<String, Object> record) {
        Object id = record.get("id");
        if (id != null) {
            return (String) id;
        }
        Object original = record.get("original");
        if (original instanceof String s && s.startsWith("{\"id\":\"")) {
            int end = s.indexOf('"', 7);
            return end > 7 ? s.substring(7, end) : null;
        }
        return null;
    }

    /** Counts the distinct ids in both output topics as they come, in the background. */
    private static final class OutputWatch implements AutoCloseable {
        private final Set<String> ids = ConcurrentHashMap.newKeySet();
        private final AtomicLong count = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        OutputWatch(String brokers) {
            thread = new Thread(() -> {
                try (KafkaConsumer<String, String> c = consumer(brokers)) {
                    List<TopicPartition> partitions = List.of(new TopicPartition(RESULTS, 0),
                            new TopicPartition(REJECTED, 0));
                    c.assign(partitions);
                    c.seekToBeginning(partitions);
                    while (running.get()) {
                        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                            for (String line : r.value().split("\n")) {
                                String id = idOf(JsonLines.parse(line));
                                if (id != null && ids.add(id)) {
                                    count.incrementAndGet();
                                }
                            }
                        }
                    }
                }
            }, "output-watch");
            thread.setDaemon(true);
            thread.start();
        }

        long distinctIds() {
            return count.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    /** Both output topics read to their end, split at the kill's end offsets. */
    private record Output(Map<String, Integer> before, Map<String, Integer> after, Set<String> scored,
            Map<String, String> rejections, Map<String, Integer> healthyAfterPerKey, List<String> unexpected) {

        static Output read(String brokers, Map<String, Long> boundary) {
            Output out = new Output(new HashMap<>(), new HashMap<>(), new HashSet<>(), new HashMap<>(), new HashMap<>(),
                    new ArrayList<>());
            try (KafkaConsumer<String, String> c = consumer(brokers)) {
                List<TopicPartition> partitions = List.of(new TopicPartition(RESULTS, 0),
                        new TopicPartition(REJECTED, 0));
                Map<TopicPartition, Long> ends = c.endOffsets(partitions);
                c.assign(partitions);
                c.seekToBeginning(partitions);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (partitions.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                    assertTrue(System.nanoTime() < deadline, "output topics not read to their end within 60 s");
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                        for (String line : r.value().split("\n")) {
                            out.add(r.topic(), line, r.offset() >= boundary.get(r.topic()));
                        }
                    }
                }
            }
            return out;
        }

        private void add(String topic, String line, boolean afterKill) {
            Map<String, Object> record = JsonLines.parse(line);
            String id = idOf(record);
            if (id == null || !id.matches("k\\d{3}-\\d{5}")) {
                unexpected.add(line);
                return;
            }
            (afterKill ? after : before).merge(id, 1, Integer::sum);
            if (topic.equals(RESULTS)) {
                scored.add(id);
                if (afterKill && "healthy".equals(record.get("state"))) {
                    healthyAfterPerKey.merge((String) record.get("key"), 1, Integer::sum);
                }
            } else {
                String reason = (String) record.get("reason");
                assertNotNull(reason, "a rejection carries its reason: " + line);
                assertNotNull(record.get("message"), "a rejection carries its message: " + line);
                rejections.put(id, reason);
            }
        }
    }
}
