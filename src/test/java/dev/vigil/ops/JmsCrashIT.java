package dev.vigil.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.SinkFiles;
import dev.vigil.testing.VigilProcess;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JMS consumer killed mid-stream, with the packaged jar: an Artemis broker embedded in this JVM (it stays up),
 * a Vigil process consuming a queue of keyed messages (single points and JSON arrays, a seeded share of invalid
 * points), SIGKILLed at a seeded point of the stream, the rest of the stream sent while it is down, and restarted.
 *
 * <p>Sinks are files in the process folder: they are the default sinks, the kill can cut an append to them
 * (which JMS sinks could not show), and the test reads them after the fact without a consumer of its own that
 * could lose or reorder anything. The route is transacted: a message is committed only after its results and
 * rejections are appended, so a kill between the appends and the commit writes that message's points twice.
 * At most one message per concurrent consumer can be there, which bounds the duplicates.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JmsCrashIT {
    private static final String QUEUE = "crash-points";
    private static final int KEYS = 40;
    /** Some hundreds of messages: the kill lands among them with several in flight. */
    private static final int POINTS = 5_000;
    private static final int MAX_POINTS_PER_MESSAGE = 20;
    private static final double INVALID_SHARE = 0.03;
    private static final int CONCURRENT_CONSUMERS = 2;
    /** Share of the messages on the queue before the first start; the rest is sent while the process is down. */
    private static final double SENT_BEFORE_START = 0.6;
    private static final Duration DONE_TIMEOUT = Duration.ofSeconds(90);

    private EmbeddedActiveMQ broker;
    private VigilProcess vigil;

    @AfterEach
    void stopEverything() throws Exception {
        if (vigil != null) {
            vigil.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void killedMidStream_unacknowledgedMessagesRedelivered_everyPointOnceOrTwiceWithinTheBound() throws Exception {
        long begin = System.nanoTime();
        long seed = Long.getLong("vigil.test.seed", System.nanoTime());
        Random random = new Random(seed);
        Path root = Path.of("target/jms-crash-it").toAbsolutePath();
        VigilProcess.deleteTree(root);
        String url = startBroker();

        List<Batch> stream = stream(random);
        Set<String> invalid = new HashSet<>();
        stream.forEach(b -> invalid.addAll(b.invalid()));
        int sentFirst = (int) (stream.size() * SENT_BEFORE_START);
        // The kill comes once this many lines are written: 15 to 45 % of the stream, within what is sent first.
        long killAfterLines = (long) (POINTS * (0.15 + 0.3 * random.nextDouble()));
        System.out.printf(Locale.ROOT, "JmsCrashIT: seed %d (replay with -Dvigil.test.seed=%d): %d points in %d"
                + " messages over %d keys, %d invalid; kill after %d lines%n", seed, seed, POINTS, stream.size(), KEYS,
                invalid.size(), killAfterLines);

        Path dir = root.resolve("vigil");
        SinkFiles sinks = new SinkFiles(dir);
        Map<String, String> p = new LinkedHashMap<>(sinks.properties());
        p.put("vigil.jms.url", url);
        p.put("vigil.jms.queue", QUEUE);
        p.put("vigil.jms.concurrent-consumers", Integer.toString(CONCURRENT_CONSUMERS));
        p.put("vigil.checkpoint.dir", dir.resolve("checkpoints").toString());
        p.put("vigil.http.enabled", "false");
        // Delivery is the subject, not detection: the cheapest model keeps the test short on a loaded machine.
        p.put("vigil.model.type", "zscore");

        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
                JMSContext jms = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue queue = jms.createQueue(QUEUE);
            send(jms, queue, stream.subList(0, sentFirst));

            vigil = VigilProcess.start("vigil", dir, p);
            long deadline = System.nanoTime() + DONE_TIMEOUT.toNanos();
            while (sinks.linesWritten() < killAfterLines) {
                assertTrue(System.nanoTime() < deadline, "the kill point was not reached\n" + vigil.logTail());
                Thread.sleep(20);
            }
            vigil.kill();
            Map<Path, Long> atKill = sinks.lengths();
            List<Path> tornAtKill = sinks.unterminated();

            // The broker has taken back what the dead connection held: delivered (counted) but not acknowledged.
            awaitNothingDelivering();
            Map<Integer, Integer> inFlight = deliveredButNotAcknowledged();
            long queuedAtKill = queue().getMessageCount();
            SinkFiles.Records before = sinks.read(null, atKill);

            send(jms, queue, stream.subList(sentFirst, stream.size()));
            vigil = vigil.restart();
            long restartedAt = System.nanoTime();
            awaitQueueDrained(deadline(DONE_TIMEOUT));
            long drainedMs = (System.nanoTime() - restartedAt) / 1_000_000;
            // The last messages' appends end before their commit, so once the queue is drained they are all written.
            SinkFiles.Records after = sinks.read(atKill, null);
            SinkFiles.Records all = sinks.read(null, null);

            // A kill can cut an append short (Linux ends a killed process's large write at a page boundary). The
            // restart ends such a fragment with a newline before anything else is appended (TornLineRepair): each
            // fragment is one line that is not JSON, and every result after it is whole.
            for (Path f : tornAtKill) {
                assertEquals('\n', SinkFiles.byteAt(f, atKill.get(f)), f + ": the torn line was not ended first");
            }
            assertEquals(tornAtKill.size(), all.unreadable.size(), "sink lines that are not JSON: " + all.unreadable);
            assertEquals(0, all.unterminatedTails, "a sink file ends in a partial line");
            // Every point has a result or a rejection, of the right kind.
            List<String> missing = new ArrayList<>();
            for (Batch b : stream) {
                for (String id : b.ids()) {
                    if (all.times(id) == 0) {
                        missing.add(id);
                    } else if (invalid.contains(id)) {
                        assertEquals(0, all.results.getOrDefault(id, 0), id + " is invalid but was scored");
                    } else {
                        assertEquals(0, all.rejected.getOrDefault(id, 0), id + " is valid but was rejected");
                    }
                }
            }
            assertTrue(missing.isEmpty(), missing.size() + " points have neither a result nor a rejection, e.g. "
                    + missing.stream().limit(5).toList() + "\n" + vigil.logTail());
            assertTrue(all.deadLetters.isEmpty(), "dead letters: " + all.deadLetters.keySet());

            // What the killed process held unacknowledged came back, and every point of it was handled again.
            assertFalse(inFlight.isEmpty(), "the kill found no message delivered and unacknowledged");
            int inFlightPoints = 0;
            for (int index : inFlight.keySet()) {
                for (String id : stream.get(index).ids()) {
                    inFlightPoints++;
                    assertTrue(after.times(id) >= 1, id + " was in flight at the kill and not handled after the restart");
                }
            }

            // Duplicates: only points handled before the kill whose message was not yet committed; at most one
            // message per consumer, each point at most twice.
            int duplicatePoints = 0;
            Set<Integer> duplicatedMessages = new HashSet<>();
            for (int i = 0; i < stream.size(); i++) {
                for (String id : stream.get(i).ids()) {
                    int n = all.times(id);
                    assertTrue(n <= 2, id + " handled " + n + " times");
                    if (n == 2) {
                        duplicatePoints++;
                        duplicatedMessages.add(i);
                        assertTrue(before.times(id) == 1 && after.times(id) == 1, id + " twice, but not across the kill");
                        assertTrue(inFlight.containsKey(i), id + " written twice, but its message was not in flight");
                    }
                }
            }
            assertTrue(duplicatedMessages.size() <= CONCURRENT_CONSUMERS, duplicatedMessages.size()
                    + " messages handled twice; at most one per consumer can be between its appends and its commit");
            assertTrue(duplicatePoints <= CONCURRENT_CONSUMERS * MAX_POINTS_PER_MESSAGE, duplicatePoints
                    + " points handled twice");

            int redelivered = inFlight.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            System.out.printf(Locale.ROOT, "JmsCrashIT: killed after %d of %d points handled (%d messages still queued);"
                    + " %d messages (%d points) delivered and unacknowledged at the kill, all handled after the restart"
                    + " (highest delivery count %d); %d points of %d messages handled twice (bound %d x %d points);"
                    + " %d of %d sink files torn at the kill, %d unreadable lines; restart to drained %d ms;"
                    + " whole test %d s%n", before.results.size() + before.rejected.size(), POINTS, queuedAtKill,
                    inFlight.size(), inFlightPoints, redelivered, duplicatePoints, duplicatedMessages.size(),
                    CONCURRENT_CONSUMERS, MAX_POINTS_PER_MESSAGE, tornAtKill.size(), sinks.all().size(),
                    all.unreadable.size(), drainedMs,
                    (System.nanoTime() - begin) / 1_000_000_000);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The stream: messages of one key each, a single point or an array; point i of key k has the id "k07-000123".

    private record Batch(int index, String key, List<String> ids, Set<String> invalid, String body) {
    }

    private static List<Batch> stream(Random random) {
        int[] next = new int[KEYS];
        List<Batch> batches = new ArrayList<>();
        int points = 0;
        while (points < POINTS) {
            int k = random.nextInt(KEYS);
            String key = String.format(Locale.ROOT, "k%02d", k);
            boolean single = random.nextDouble() < 0.2;
            int n = Math.min(POINTS - points, single ? 1 : 2 + random.nextInt(MAX_POINTS_PER_MESSAGE - 1));
            List<String> ids = new ArrayList<>();
            Set<String> invalid = new HashSet<>();
            StringBuilder body = new StringBuilder(single ? "" : "[");
            for (int i = 0; i < n; i++) {
                String id = String.format(Locale.ROOT, "%s-%06d", key, next[k]++);
                ids.add(id);
                String temperature = String.format(Locale.ROOT, "%.4f", 20 + random.nextGaussian());
                if (random.nextDouble() < INVALID_SHARE) {
                    invalid.add(id);
                    // Out of range, or text where a number belongs: a rejection naming the field, with the id.
                    temperature = random.nextBoolean() ? "1e12" : "\"hot\"";
                }
                body.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"id\":\"%s\",\"temperature\":%s,\"pressure\":%.4f}", id, temperature,
                        1000 + 5 * random.nextGaussian()));
            }
            String text = single ? body.toString() : body.append(']').toString();
            batches.add(new Batch(batches.size(), key, ids, invalid, text));
            points += n;
        }
        return batches;
    }

    private static void send(JMSContext jms, Queue queue, List<Batch> batches) throws Exception {
        JMSProducer producer = jms.createProducer();
        for (Batch b : batches) {
            TextMessage m = jms.createTextMessage(b.body());
            m.setStringProperty("key", b.key());
            m.setIntProperty("batch", b.index());
            producer.send(queue, m);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The broker, embedded like ArtemisResource, kept here so the test can look into its queue.

    private String startBroker() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "tcp://127.0.0.1:" + port;
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(new ConfigurationImpl().setPersistenceEnabled(false).setSecurityEnabled(false)
                .setJMXManagementEnabled(false).addAcceptorConfiguration("tcp", url));
        broker.start();
        return url;
    }

    private org.apache.activemq.artemis.core.server.Queue queue() {
        return broker.getActiveMQServer().locateQueue(QUEUE);
    }

    private void awaitNothingDelivering() throws InterruptedException {
        long deadline = deadline(Duration.ofSeconds(30));
        while (queue().getDeliveringCount() > 0) {
            assertTrue(System.nanoTime() < deadline, "the broker still counts messages as delivered to the dead process");
            Thread.sleep(50);
        }
    }

    /** The queued messages the broker has delivered before (to the killed process): batch index -> delivery count. */
    private Map<Integer, Integer> deliveredButNotAcknowledged() throws Exception {
        Map<Integer, Integer> delivered = new LinkedHashMap<>();
        try (LinkedListIterator<MessageReference> it = queue().browserIterator()) {
            while (it.hasNext()) {
                MessageReference ref = it.next();
                if (ref.getDeliveryCount() > 0) {
                    Message m = ref.getMessage();
                    delivered.put(m.getIntProperty("batch"), ref.getDeliveryCount());
                }
            }
        }
        return delivered;
    }

    private void awaitQueueDrained(long deadline) throws InterruptedException {
        while (queue().getMessageCount() > 0 || queue().getDeliveringCount() > 0) {
            assertTrue(System.nanoTime() < deadline, queue().getMessageCount() + " messages still queued\n"
                    + vigil.logTail());
            Thread.sleep(100);
        }
    }

    private static long deadline(Duration d) {
        return System.nanoTime() + d.toNanos();
    }
}
