package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.ArtemisResource;
import dev.vigil.testing.JsonLines;
import dev.vigil.testing.SinkMark;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A JMS sink (the medium sink of the profile) whose Artemis broker stops, then starts again on the same port:
 * while it is down each result is redelivered with back-off, then dead-lettered; after the restart results reach
 * the queue again; nothing is lost or written twice. (The broker keeps no messages across the restart, so the
 * queue is read before it stops.)
 */
@QuarkusTest
@TestProfile(TestProfiles.TestModels.class)
class JmsSinkOutageTest {
    static final String QUEUE = TestProfiles.TestModels.MEDIUM_QUEUE;
    static final String KEY = "outage-jms";
    static final String SEVERITY = "medium";
    static final long SEED = 413L;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    ConnectionFactory jms;

    private static SinkOutages.Sent score(String idPrefix, int n, Random random) {
        return SinkOutages.score(KEY, idPrefix, n, TestProfiles.TestModels.MEDIUM, SEVERITY, random);
    }

    /** Takes the results waiting on the queue, until {@code expected} of this test's or none for a few seconds. */
    private List<String> drain(int expected) {
        List<String> ids = new ArrayList<>();
        try (JMSContext context = jms.createContext(); JMSConsumer consumer = context.createConsumer(
                context.createQueue(QUEUE))) {
            long idleUntil = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < idleUntil) {
                String body = consumer.receiveBody(String.class, 500);
                Map<String, Object> result = body == null ? null : JsonLines.parse(body);
                if (result != null && KEY.equals(result.get("key"))) {
                    ids.add((String) result.get("id"));
                    // Once all expected are in, wait a little longer only for a result written twice.
                    idleUntil = System.currentTimeMillis() + (ids.size() >= expected ? 1_000 : 10_000);
                }
            }
        }
        return ids;
    }

    @Test
    void brokerStopped_redeliveredWithBackOff_thenDeadLettered_thenDeliveredAfterRestart() throws Exception {
        SinkMark mark = SinkMark.of(TestProfiles.TestModels.DIRS.deadLetter());
        SinkOutages.Counters before = SinkOutages.Counters.read(metrics, SEVERITY);
        Random random = new Random(SEED);
        List<String> sent = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            sent.addAll(score("before-" + r, 5, random).ids());
        }
        List<String> delivered = new ArrayList<>(drain(sent.size()));
        assertTrue(delivered.containsAll(sent), "the sink works to begin with: " + delivered);

        ArtemisResource.stopBroker();
        List<String> whileDown = new ArrayList<>();
        long slowest = 0;
        long fastest = Long.MAX_VALUE;
        try {
            for (int r = 0; r < 2; r++) {
                // One point per request: each record's redeliveries timed on their own.
                SinkOutages.Sent s = score("down-" + r, 1, random);
                whileDown.addAll(s.ids());
                slowest = Math.max(slowest, s.millis());
                fastest = Math.min(fastest, s.millis());
            }
        } finally {
            ArtemisResource.startBroker();
        }
        sent.addAll(whileDown);
        assertTrue(fastest >= SinkOutages.BACK_OFF_MILLIS, "a failing record took only " + fastest
                + " ms: not redelivered with back-off");
        List<String> dead = SinkOutages.deadLetterIds(mark, SEVERITY, KEY);
        assertEquals(whileDown, dead, "every result of the outage is dead-lettered, once");

        List<String> after = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            after.addAll(score("after-" + r, 5, random).ids());
        }
        sent.addAll(after);
        List<String> deliveredAfter = drain(after.size());
        assertTrue(deliveredAfter.containsAll(after), "the sink takes results again after the restart: "
                + deliveredAfter);
        delivered.addAll(deliveredAfter);

        System.out.printf(Locale.ROOT, "JmsSinkOutageTest: seed %d; a failing record took %d-%d ms to dead-letter"
                + " (back-off at least %d ms)%n", SEED, fastest, slowest, SinkOutages.BACK_OFF_MILLIS);
        SinkOutages.assertAccounted("JmsSinkOutageTest", metrics, SEVERITY, before, sent, delivered, dead);
    }
}
