package dev.vigil.testing;

import dev.vigil.service.checkpoint.CheckpointFixture;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations the {@code @QuarkusTest} classes run the application in: a base and a few variants, each
 * started once for all the classes that name it (Quarkus restarts the application only when the profile changes).
 * Every test class names one of these; a test that needs a setting of its own adds it to a variant rather than
 * making a new profile (each costs a build of the application at discovery and a start), or, without brokers in the
 * test JVM, starts the packaged jar with it ({@link VigilProcess}). The tests sharing a profile stay independent:
 * their own keys, ids, files, topics and queues, and assertions on what they add (a {@link SinkMark}, counters
 * before and after) rather than on totals.
 */
public final class TestProfiles {
    private TestProfiles() {
    }

    /**
     * What every profile sets: its folders, the test API keys (the main test client an admin, which sees every
     * client's security events in the status), no rate limit, and no memory alert (the test JVM hosts the application
     * beside brokers and earlier applications; its resident memory says nothing here).
     */
    static Map<String, String> common(TestDirs dirs) {
        Map<String, String> c = new HashMap<>(dirs.overrides());
        c.putAll(TestApiKeys.overrides());
        c.put("vigil.security.admin-clients", TestApiKeys.CLIENT);
        c.put("vigil.throttle.max-per-minute", "0");
        c.put("vigil.alerts.memory-mb", "1000000");
        return c;
    }

    /**
     * The base: the packaged model and thresholds, every source on (a Kafka and an Artemis broker in the JVM), small
     * request limits (so a limit is cheap to pass), quick redelivery, and batches of 25 points.
     */
    public static final class Base implements QuarkusTestProfile {
        public static final TestDirs DIRS = new TestDirs("base");
        public static final int MAX_BODY = 65_536;
        public static final int MAX_POINTS = 50;
        public static final int MAX_LINE = 32_768;
        public static final int BATCH = 25;

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = common(DIRS);
            c.put("vigil.http.max-body-bytes", Integer.toString(MAX_BODY));
            c.put("vigil.http.max-points", Integer.toString(MAX_POINTS));
            c.put("vigil.inbox.max-line-length", Integer.toString(MAX_LINE));
            // Files are moved into the inbox whole, so the read lock need not wait long.
            c.put("vigil.inbox.read-lock-interval", "20");
            c.put("vigil.batch.size", Integer.toString(BATCH));
            c.put("vigil.sink.max-redeliveries", "2");
            c.put("vigil.sink.redelivery-delay", "10");
            return c;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaResource.class, Map.of(), true),
                    new TestResourceEntry(ArtemisResource.class, Map.of(), true));
        }
    }

    /**
     * For tests whose subject is not detection (the breaker, sinks, checkpoints, metrics): the test models of
     * {@link FlakyModels}, which score a point by its first feature so a test picks each result's severity and with
     * it the sink, and fail or stall when told; a quick breaker; each severity's sink on a different kind of endpoint
     * (critical a Kafka topic, high a Kafka topic that does not exist until a test creates it on a broker that
     * creates none, medium a JMS queue, low a file in a folder a test can take away); a checkpoint folder that
     * cannot be used until a test makes it usable; and a rate limit on files only.
     */
    public static final class TestModels implements QuarkusTestProfile {
        public static final TestDirs DIRS = new TestDirs("test-models");
        /** First-feature values that give each severity (thresholds 0.6, 0.8, 0.9; anomaly from 0.7). */
        public static final double LOW = 0.1;
        public static final double MEDIUM = 0.65;
        public static final double HIGH = 0.85;
        public static final double CRITICAL = 0.95;
        public static final String CRITICAL_TOPIC = KafkaResource.CRITICAL_TOPIC;
        /** The high sink's topic: missing until KafkaSinkOutageTest creates it. */
        public static final String HIGH_TOPIC = "vigil-results-high";
        /** How long a Kafka producer waits for a missing topic (per attempt). */
        public static final long MAX_BLOCK_MS = 300;
        /** The largest record the high sink sends: a result of a few features fits, one of eighty does not. */
        public static final int HIGH_MAX_REQUEST_SIZE = 2_000;
        public static final String MEDIUM_QUEUE = "vigil.results";
        /**
         * The Artemis client tries a stopped broker twice per connection attempt, {@code retryInterval} apart (2 s by
         * default): 100 ms here, so an outage test's redeliveries are paced by the sink's back-off, not the client.
         */
        public static final String JMS_CLIENT_PARAMETERS = "retryInterval=100";
        /** The low sink writes {@code <LOW_SINK_PARENT>/low/results.jsonl}. */
        public static final Path LOW_SINK_PARENT = DIRS.base().resolve("sink-parent");
        public static final Path LOW_RESULTS = LOW_SINK_PARENT.resolve("low").resolve("results.jsonl");
        public static final int MAX_REDELIVERIES = 3;
        public static final long REDELIVERY_DELAY = 200;
        /** A regular file where the checkpoint folder's parent should be: the folder cannot be created at start. */
        public static final Path BLOCKED = DIRS.base().resolve("blocked");
        public static final Path CHECKPOINTS = BLOCKED.resolve("checkpoints");
        public static final int CHECKPOINT_INTERVAL = 20;
        public static final int FILE_MAX_PER_MINUTE = 10;

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = common(DIRS);
            c.put("vigil.model.type", "test_flaky");
            c.put("vigil.model.params.score_by_first_feature", "true");
            c.put("vigil.fallback.model", "test_flaky_fallback");
            c.put("vigil.breaker.request-volume", "4");
            c.put("vigil.breaker.failure-ratio", "50");
            c.put("vigil.breaker.delay", "1500");
            c.put("vigil.breaker.timeout", "1000");
            c.put("vigil.breaker.success-threshold", "2");
            c.put("vigil.sink.critical", "kafka:" + CRITICAL_TOPIC + "?brokers={{vigil.kafka.brokers}}");
            c.put("vigil.sink.per-record.critical", "true");
            c.put("vigil.sink.high", "kafka:" + HIGH_TOPIC + "?brokers={{vigil.kafka.brokers}}&maxBlockMs=" + MAX_BLOCK_MS
                    + "&requestTimeoutMs=2000&deliveryTimeoutMs=4000&maxRequestSize=" + HIGH_MAX_REQUEST_SIZE);
            c.put("vigil.sink.per-record.high", "true");
            c.put("vigil.sink.medium", "jms:queue:" + MEDIUM_QUEUE);
            c.put("vigil.sink.per-record.medium", "true");
            c.put("vigil.sink.low", "file:" + LOW_RESULTS.getParent() + "?fileName=results.jsonl&fileExist=Append");
            c.put("vigil.sink.max-redeliveries", Integer.toString(MAX_REDELIVERIES));
            c.put("vigil.sink.redelivery-delay", Long.toString(REDELIVERY_DELAY));
            writeFile(BLOCKED, "");
            c.put("vigil.checkpoint.dir", CHECKPOINTS.toString());
            c.put("vigil.checkpoint.interval", Integer.toString(CHECKPOINT_INTERVAL));
            c.put("vigil.throttle.source.file", Integer.toString(FILE_MAX_PER_MINUTE));
            return c;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaResource.class, Map.of("auto.create.topics.enable", "false"), true),
                    new TestResourceEntry(ArtemisResource.class, Map.of("client-parameters", JMS_CLIENT_PARAMETERS),
                            true));
        }
    }

    /**
     * The application started on what an earlier run left: checkpoints of one key (and a damaged one of another),
     * and a low-results file whose last line a crash cut short. Every result is low, operational alerts go to a
     * file (a rate alert after 50 points, at most once per run), and HTTP and files have rate limits.
     */
    public static final class EarlierRun implements QuarkusTestProfile {
        public static final TestDirs DIRS = new TestDirs("earlier-run");
        public static final String RESTORED_KEY = "turbine-7";
        public static final int RESTORED_POINTS = 300;
        public static final String DAMAGED_KEY = "turbine-9";
        public static final String TORN_COMPLETE = "{\"id\":\"before-1\",\"key\":\"torn-sensor\",\"severity\":\"low\"}";
        public static final String TORN_FRAGMENT = "{\"id\":\"before-2\",\"key\":\"torn-sen";
        public static final Path ALERTS = DIRS.base().resolve("alerts").resolve("alerts.jsonl");
        public static final int ALERT_WINDOW = 50;
        public static final int HTTP_MAX_PER_MINUTE = 120;
        public static final int FILE_MAX_PER_MINUTE = 1200;

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = common(DIRS);
            CheckpointFixture.writeEarlierRun(DIRS.checkpoints(), RESTORED_KEY, RESTORED_POINTS);
            CheckpointFixture.writeDamaged(DIRS.checkpoints(), DAMAGED_KEY);
            writeFile(DIRS.sink("low"), TORN_COMPLETE + "\n" + TORN_FRAGMENT);
            for (String threshold : List.of("medium", "high", "critical", "anomaly")) {
                c.put("vigil.thresholds." + threshold, "1.0");
            }
            c.put("vigil.sink.alerts", "file:" + ALERTS.getParent() + "?fileName=alerts.jsonl&fileExist=Append");
            c.put("vigil.sink.per-record.alerts", "false");
            // Any anomaly rate is "too low" once the window is full: a deterministic alert, raised once in a run.
            c.put("vigil.alerts.window", Integer.toString(ALERT_WINDOW));
            c.put("vigil.alerts.anomaly-rate-low", "1.01");
            c.put("vigil.alerts.cooldown", "86400");
            c.put("vigil.throttle.max-per-minute", Integer.toString(HTTP_MAX_PER_MINUTE));
            c.put("vigil.throttle.source.file", Integer.toString(FILE_MAX_PER_MINUTE));
            // A file is throttled a batch at a time: batches of 100 let a file over its limit show it within seconds.
            c.put("vigil.batch.size", "100");
            return c;
        }
    }

    private static void writeFile(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
