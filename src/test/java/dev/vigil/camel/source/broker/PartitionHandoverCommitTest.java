package dev.vigil.camel.source.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.camel.pipeline.Headers;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.entity.PartitionOwnership;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.testing.KafkaResource;
import dev.vigil.testing.ServiceParts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Commits Kafka has not confirmed (refused while the group rebalanced, or still on their way) are made in the
 * revocation callback of a rebalance, on a real (in-JVM) broker: consumer A owns both partitions and holds pending
 * commits for them; B joins; A's {@link PartitionHandover} commits them when it gives a partition up, so B starts
 * after the routed batches.
 */
class PartitionHandoverCommitTest {
    private static final String TOPIC = "handover-commits";
    private static final String GROUP = "handover-commit-test";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final KafkaResource kafka = new KafkaResource();

    @AfterEach
    void stopBroker() {
        kafka.stop();
    }

    @Test
    void pendingCommits_committedWhenPartitionsAreRevoked() throws Exception {
        String brokers = startBrokerWithTopic();
        PendingCommits pendingOfA = new PendingCommits();
        try (KafkaConsumer<String, String> a = consumer(brokers); KafkaConsumer<String, String> b = consumer(brokers)) {
            new PartitionHandover(ServiceParts.partitionOwnership(), ServiceParts.entityRegistry(), pendingOfA)
                    .subscribe(a, new NoListener(), new TopicInfo(null, TOPIC));
            pollUntil(() -> a.assignment().size() == 2, a);
            // Two routed batches whose commits Kafka has not confirmed: the offsets after them.
            pendingOfA.routed(P0, 7);
            pendingOfA.routed(P1, 5);

            b.subscribe(List.of(TOPIC));
            pollUntil(() -> a.assignment().size() == 1 && b.assignment().size() == 1, a, b);
        }
        Map<TopicPartition, OffsetAndMetadata> committed = committed(brokers);
        assertEquals(7, offset(committed, P0), "the revoked or kept P0: " + committed);
        assertEquals(5, offset(committed, P1), "the revoked or kept P1: " + committed);
        assertEquals(0, pendingOfA.size(), "nothing left to commit");
    }

    /**
     * A commit refused after the revocation callback, while the cooperative rebalance finishes, is made when the
     * rebalance ends: A keeps P0 and may get no later batch of it to commit (the route bundle's Kafka test once saw
     * its last batches' offsets stay uncommitted that way).
     */
    @Test
    void refusedAfterTheRevocation_committedWhenTheRebalanceEnds() throws Exception {
        String brokers = startBrokerWithTopic();
        PendingCommits pendingOfA = new PendingCommits();
        // Runs after PartitionHandover's own revocation callback when A gives P1 to B: P0's batch, routed, had its
        // commit refused then.
        ConsumerRebalanceListener refusedLate = new NoListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (partitions.contains(P1)) {
                    pendingOfA.routed(P0, 9);
                }
            }
        };
        try (KafkaConsumer<String, String> a = consumer(brokers); KafkaConsumer<String, String> b = consumer(brokers)) {
            new PartitionHandover(ServiceParts.partitionOwnership(), ServiceParts.entityRegistry(), pendingOfA)
                    .subscribe(a, refusedLate, new TopicInfo(null, TOPIC));
            pollUntil(() -> a.assignment().size() == 2, a);

            b.subscribe(List.of(TOPIC));
            pollUntil(() -> a.assignment().size() == 1 && b.assignment().size() == 1, a, b);
            // Asked while A still runs: closing A would revoke P0 and commit it then.
            Map<TopicPartition, OffsetAndMetadata> committed = committed(brokers);
            assertEquals(9, offset(committed, P0), "P0, kept by A: " + committed);
            assertEquals(0, pendingOfA.size(), "nothing left to commit");
        }
    }

    /**
     * A routed batch's commit is sent without waiting for the broker: its offset stays pending until Kafka's answer,
     * read at a later poll. With it goes the pending offset of another partition the consumer owns (a batch whose
     * commit failed), made by this commit.
     */
    @Test
    void routedBatch_commitSentWithoutWaiting_confirmedAtALaterPoll_withAnEarlierFailedOne() throws Exception {
        String brokers = startBrokerWithTopic();
        PendingCommits pendingOfA = new PendingCommits();
        VigilConfig config = new SmallRyeConfigBuilder().withMapping(VigilConfig.class).build()
                .getConfigMapping(VigilConfig.class);
        MessagePoints messages = new MessagePoints(config, new PartitionOwnership(config), pendingOfA,
                new VigilMetrics(new SimpleMeterRegistry()));
        try (KafkaConsumer<String, String> a = consumer(brokers)) {
            new PartitionHandover(ServiceParts.partitionOwnership(), ServiceParts.entityRegistry(), pendingOfA)
                    .subscribe(a, new NoListener(), new TopicInfo(null, TOPIC));
            pollUntil(() -> a.assignment().size() == 2, a);
            pendingOfA.routed(P1, 5);
            Exchange routed = new DefaultExchange(new DefaultCamelContext());
            routed.setProperty(Headers.KAFKA_COMMITS,
                    new MessagePoints.PollCommit(a, Map.of(P0, 7L)));

            messages.commitKafka(routed);
            assertEquals(2, pendingOfA.size(), "pending until Kafka answers, at a later poll");
            pollUntil(() -> pendingOfA.size() == 0, a);
            // Asked while A still runs: closing A would revoke both partitions and commit them then.
            Map<TopicPartition, OffsetAndMetadata> committed = committed(brokers);
            assertEquals(7, offset(committed, P0), "the routed batch: " + committed);
            assertEquals(5, offset(committed, P1), "the earlier one, made again: " + committed);
        }
    }

    /** Starts the broker with the two-partition topic; its bootstrap servers. */
    private String startBrokerWithTopic() throws Exception {
        String brokers = kafka.start().get("vigil.kafka.brokers");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return brokers;
    }

    /** The group's committed offsets, as the broker has them now. */
    private static Map<TopicPartition, OffsetAndMetadata> committed(String brokers) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers))) {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        }
    }

    /** The committed offset of {@code p}, -1 if none was committed. */
    private static long offset(Map<TopicPartition, OffsetAndMetadata> committed, TopicPartition p) {
        OffsetAndMetadata o = committed.get(p);
        return o == null ? -1 : o.offset();
    }

    private static KafkaConsumer<String, String> consumer(String brokers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** Polls the consumers in turn (each on this thread only) until {@code done}; 60 s at most. */
    @SafeVarargs
    private static void pollUntil(java.util.function.BooleanSupplier done, KafkaConsumer<String, String>... consumers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "the group did not settle within 60 s");
            for (KafkaConsumer<String, String> c : consumers) {
                c.poll(Duration.ofMillis(100));
            }
        }
    }

    /** Stands in for camel-kafka's own listener, which has nothing to do here. */
    private static class NoListener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
