package dev.vigil.camel.source.broker;

import dev.vigil.testing.CorpusVerdict;
import dev.vigil.testing.HostileCorpus;
import dev.vigil.testing.KafkaResource;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.SinkTally;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HostileCorpus} cases (2,000 by default, {@link HostileCorpus#cases()}) as raw Kafka records (bytes, so
 * bytes that are not UTF-8 reach the consumer; record keys null, ordinary or hostile) through an in-JVM KRaft
 * broker. Every record must end as its points' results and rejections, or as one rejection when it holds no point
 * or cannot be read; no route stops, the service stays ready, the heap stays bounded, and an ordinary point still
 * scores afterwards.
 */
@QuarkusTest
@TestProfile(TestProfiles.Base.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostileKafkaCorpusTest {
    static final TestDirs DIRS = TestProfiles.Base.DIRS;
    static final long SEED = 20_261_126L;

    @Inject
    CamelContext camel;

    /** The record key of case {@code i}: mostly none (the payload's key counts), sometimes ordinary or hostile. */
    private static byte[] recordKey(int i) {
        Random rng = new Random(new SplittableRandom(SEED ^ (31L * i + 7)).nextLong());
        int roll = rng.nextInt(20);
        return switch (roll) {
            case 0, 1 -> ("calm-" + rng.nextInt(4)).getBytes(StandardCharsets.UTF_8);
            case 2 -> "k".repeat(10_240).getBytes(StandardCharsets.UTF_8);
            case 3 -> new byte[] {'k', (byte) 0xff, (byte) 0xfe};
            case 4 -> "../../etc/passwd\u0000".getBytes(StandardCharsets.UTF_8);
            case 5 -> new byte[0];
            default -> null;
        };
    }

    @Test
    void hostileRecords_everyPointAccounted_routesStartedReadyBoundedAndScoring() throws Exception {
        HostileCorpus corpus = new HostileCorpus(SEED);
        int cases = HostileCorpus.cases();
        Map<HostileCorpus.Kind, Integer> mix = new EnumMap<>(HostileCorpus.Kind.class);
        long expected = 0;
        long bytes = 0;
        Properties props = new Properties();
        props.put("bootstrap.servers", KafkaResource.bootstrapServers());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        props.put("linger.ms", "20");
        CorpusVerdict verdict = new CorpusVerdict("HostileKafkaCorpusTest", "kafka", DIRS, camel);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < cases; i++) {
                HostileCorpus.Case c = corpus.get(i);
                sent.add(producer.send(new ProducerRecord<>(KafkaResource.POINTS_TOPIC, recordKey(i), c.body())));
                mix.merge(c.kind(), 1, Integer::sum);
                expected += c.brokerOutcomes();
                bytes += c.body().length;
            }
            producer.flush();
        }
        // A record the broker did not take would show up below as a missing outcome: say so here instead.
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get(0, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("record " + i + " was not written to the broker", e.getCause());
            }
        }
        verdict.print("seed %d, %d records (%.1f MB) sent in %.1f s", SEED, cases, bytes / 1e6, verdict.seconds());
        SinkTally tally = verdict.finish(expected, mix);

        verdict.assertOrdinaryPointScores(tally, () -> {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                producer.send(new ProducerRecord<>(KafkaResource.POINTS_TOPIC, "after-kafka".getBytes(StandardCharsets.UTF_8),
                        SensorData.json("after-kafka-corpus", "after-kafka", new SensorData(1).normal())
                                .getBytes(StandardCharsets.UTF_8)));
            }
        });
    }
}
