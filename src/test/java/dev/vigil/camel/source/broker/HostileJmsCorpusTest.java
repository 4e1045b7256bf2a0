package dev.vigil.camel.source.broker;

import dev.vigil.testing.CorpusVerdict;
import dev.vigil.testing.HostileCorpus;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.SinkTally;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HostileCorpus} cases (2,000 by default, {@link HostileCorpus#cases()}) as JMS messages through an embedded
 * Artemis: text messages, and bytes messages for every body that is not UTF-8 and for a share of the others, with
 * ordinary, missing or hostile {@code key} and client properties. Every message must end as its points' results and
 * rejections, or as one rejection when it holds no point or cannot be read; no route stops, the service stays
 * ready, the heap stays bounded, and an ordinary message still scores afterwards.
 */
@QuarkusTest
@TestProfile(TestProfiles.Base.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostileJmsCorpusTest {
    static final TestDirs DIRS = TestProfiles.Base.DIRS;
    static final long SEED = 20_261_127L;

    @Inject
    CamelContext camel;

    @Inject
    ConnectionFactory jms;

    /** Case {@code i} as a message: bytes when it is not UTF-8 or by chance, properties ordinary or hostile. */
    private static Message message(JMSContext context, HostileCorpus.Case c) throws Exception {
        Random rng = new Random(new SplittableRandom(SEED ^ (31L * c.index() + 7)).nextLong());
        String text = new String(c.body(), StandardCharsets.UTF_8);
        boolean utf8 = java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), c.body());
        Message m;
        if (!utf8 || rng.nextBoolean()) {
            BytesMessage b = context.createBytesMessage();
            b.writeBytes(c.body());
            m = b;
        } else {
            m = context.createTextMessage(text);
        }
        switch (rng.nextInt(20)) {
            case 0, 1 -> m.setStringProperty("key", "calm-" + rng.nextInt(4));
            case 2 -> m.setStringProperty("key", "k".repeat(10_240));
            case 3 -> m.setStringProperty("key", "../../etc/passwd\u0000");
            case 4 -> m.setStringProperty("key", "");
            case 5 -> m.setStringProperty("clientId", "<script>alert(1)</script>\u202E");
            default -> {
                // neither: the payload's key counts, the entity key is the client
            }
        }
        return m;
    }

    @Test
    void hostileMessages_everyPointAccounted_routesStartedReadyBoundedAndScoring() throws Exception {
        HostileCorpus corpus = new HostileCorpus(SEED);
        int cases = HostileCorpus.cases();
        Map<HostileCorpus.Kind, Integer> mix = new EnumMap<>(HostileCorpus.Kind.class);
        long expected = 0;
        long bytes = 0;
        CorpusVerdict verdict = new CorpusVerdict("HostileJmsCorpusTest", "jms", DIRS, camel);
        try (JMSContext context = jms.createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue queue = context.createQueue("vigil.points");
            JMSProducer producer = context.createProducer();
            for (int i = 0; i < cases; i++) {
                HostileCorpus.Case c = corpus.get(i);
                producer.send(queue, message(context, c));
                if (i % 200 == 199) {
                    context.commit();
                }
                mix.merge(c.kind(), 1, Integer::sum);
                expected += c.brokerOutcomes();
                bytes += c.body().length;
            }
            context.commit();
        }
        verdict.print("seed %d, %d messages (%.1f MB) sent in %.1f s", SEED, cases, bytes / 1e6, verdict.seconds());
        SinkTally tally = verdict.finish(expected, mix);

        verdict.assertOrdinaryPointScores(tally, () -> {
            try (JMSContext context = jms.createContext()) {
                context.createProducer().setProperty("key", "after-jms").send(context.createQueue("vigil.points"),
                        SensorData.json("after-jms-corpus", "after-jms", new SensorData(1).normal()));
            }
        });
    }
}
