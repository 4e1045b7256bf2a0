package dev.vigil.camel.source.broker;

import dev.vigil.camel.parse.InputProblem;
import dev.vigil.camel.parse.JsonPoints;
import dev.vigil.camel.pipeline.Headers;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.entity.PartitionOwnership;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.RawPoint;
import dev.vigil.service.point.RejectReason;
import dev.vigil.service.point.Rejection;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Parses broker messages into batches. A message body is one JSON point or an array; a body that cannot be
 * read is rejected with its reason, never thrown, so one bad message cannot block a queue or a partition; so is
 * a message that holds no point ({@code []}).
 *
 * <ul>
 * <li>{@link #kafka}: a batching consumer's poll (a list of record exchanges) becomes one batch. The record
 * key is the entity key and the client: producers key records by entity key, so each key's points reach one
 * partition and so one instance. A {@code key} in the payload is used only when the record has none; when both
 * are present and differ the record key wins (the partition, hence the owning instance, follows it) and the
 * mismatch is counted and logged at DEBUG. The partition each key came from is recorded for the hand-over at a
 * rebalance; records polled before their partition was revoked are left to its new owner, which reads them
 * again from the committed offset. The last record of each partition is remembered for the commit, which is
 * sent once the batch is routed; until Kafka confirms it the offset is kept in {@link PendingCommits}, so a commit
 * refused while the group rebalances is made by the next one or by that rebalance's callbacks
 * ({@link PartitionHandover}), and the partition's next owner does not read the routed batch again.</li>
 * <li>{@link #jms}: one message is one batch; the entity key is the {@code key} property, the client the
 * configured client property (or the entity key).</li>
 * </ul>
 */
@ApplicationScoped
@Named("messagePoints")
@RegisterForReflection
public class MessagePoints {
    static final String KAFKA = "kafka";
    static final String JMS = "jms";

    private static final Logger LOG = Logger.getLogger(MessagePoints.class);

    private final String defaultKey;
    private final String clientProperty;
    private final int kafkaMaxPoints;
    private final int jmsMaxPoints;
    private final PartitionOwnership ownership;
    private final PendingCommits pendingCommits;
    private final AtomicLong keyMismatches = new AtomicLong();
    private final AtomicLong leftToNewOwner = new AtomicLong();
    private final AtomicLong commitFailures = new AtomicLong();

    @Inject
    public MessagePoints(VigilConfig config, PartitionOwnership ownership, PendingCommits pendingCommits,
            VigilMetrics metrics) {
        this.defaultKey = config.keys().defaultKey();
        this.clientProperty = config.jms().clientProperty();
        this.kafkaMaxPoints = config.kafka().maxPoints();
        this.jmsMaxPoints = config.jms().maxPoints();
        this.ownership = ownership;
        this.pendingCommits = pendingCommits;
        metrics.counted("vigil.kafka.key.mismatches", "Kafka points whose payload key differed from the record key"
                + " (the record key was used)", keyMismatches::get);
        metrics.counted("vigil.kafka.records.left", "Kafka records polled before their partition was revoked, left"
                + " to the new owner", leftToNewOwner::get);
        metrics.counted("vigil.kafka.commit.failures", "Kafka offset commits the broker did not take (made again by the"
                + " next commit or at the rebalance)", commitFailures::get);
    }

    public void kafka(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Exchange> records = exchange.getMessage().getBody(List.class);
        PointBatch batch = new PointBatch(KAFKA, PointBatch.CLIENT_IS_ENTITY_KEY, new ArrayList<>());
        Map<TopicPartition, Long> nextOffsets = new HashMap<>();
        Consumer<?, ?> consumer = null;
        // A poll's records come partition by partition: the partition's name is made once per run of them.
        TopicPartition tp = null;
        String partitionName = null;
        List<String> keysOfRun = new ArrayList<>();
        int left = 0;
        for (Exchange record : records) {
            Message m = record.getMessage();
            // camel-kafka's manual commit knows the record's partition, offset and consumer: one header, not four.
            TopicPartition recordTp;
            long offset = -1;
            if (m.getHeader(KafkaConstants.MANUAL_COMMIT) instanceof DefaultKafkaManualCommit commit) {
                recordTp = commit.getPartition();
                offset = commit.getRecordOffset();
                consumer = commit.getConsumer();
            } else {
                Integer partition = m.getHeader(KafkaConstants.PARTITION, Integer.class);
                recordTp = partition == null ? null
                        : new TopicPartition(m.getHeader(KafkaConstants.TOPIC, String.class), partition);
            }
            if (!Objects.equals(recordTp, tp)) {
                seen(keysOfRun, partitionName);
                tp = recordTp;
                partitionName = tp == null ? null : PartitionHandover.name(tp);
            }
            // camel-kafka may keep a short poll's records until a later poll, across a rebalance.
            if (partitionName != null
                    && ownership.polledBeforeRevocation(partitionName, record.getClock().getCreated())) {
                left++;
                continue;
            }
            String key = m.getHeader(KafkaConstants.KEY, String.class);
            boolean keyed = key != null && !key.isEmpty();
            int first = batch.raw().size();
            parseInto(batch, m.getBody(String.class), keyed ? key : defaultKey, key, kafkaMaxPoints,
                    "vigil.kafka.max-points");
            for (int i = first; i < batch.raw().size(); i++) {
                RawPoint p = batch.raw().get(i);
                if (keyed && !key.equals(p.key())) {
                    keyMismatches.incrementAndGet();
                    LOG.debugf("Kafka record key '%s' differs from the payload key '%s' (%s): the record key is used",
                            key, p.key(), tp);
                    p = p.withKey(key);
                    batch.raw().set(i, p);
                }
                keysOfRun.add(p.key());
            }
            if (offset >= 0) {
                nextOffsets.put(tp, offset + 1);
            }
        }
        seen(keysOfRun, partitionName);
        if (left > 0) {
            leftToNewOwner.addAndGet(left);
            LOG.infof("%d Kafka records polled before their partition was revoked were left to its new owner", left);
        }
        if (consumer != null) {
            exchange.setProperty(Headers.KAFKA_COMMITS, new PollCommit(consumer, nextOffsets));
        }
        exchange.getMessage().setBody(batch);
    }

    /** Records the keys of a run of one partition's records, for the hand-over at a rebalance. */
    private void seen(List<String> keys, String partitionName) {
        if (partitionName != null && !keys.isEmpty()) {
            ownership.seen(keys, partitionName);
        }
        keys.clear();
    }

    /** What to commit after a poll's batch: per partition, the offset after its last record. */
    record PollCommit(Consumer<?, ?> consumer, Map<TopicPartition, Long> nextOffsets) {
    }

    /**
     * Commits the offsets of a poll once its batch is routed (at-least-once), without waiting for the broker's
     * answer: a synchronous commit is a round trip during which the consumer routes nothing (measured, two fifths
     * of its time). Runs on the consumer's own thread, as the route does. With them go the offsets of this
     * consumer's partitions still unconfirmed ({@link PendingCommits}), so a failed commit is made by the next; a
     * rebalance commits and waits for what is left ({@link PartitionHandover}).
     */
    public void commitKafka(Exchange exchange) {
        PollCommit poll = exchange.getProperty(Headers.KAFKA_COMMITS, PollCommit.class);
        if (poll == null) {
            return;
        }
        poll.nextOffsets().forEach(pendingCommits::routed);
        Map<TopicPartition, OffsetAndMetadata> offsets = pendingCommits.of(poll.consumer().assignment());
        if (!offsets.isEmpty()) {
            poll.consumer().commitAsync(offsets, this::answered);
        }
    }

    /** Kafka's answer to a commit, on the consumer thread during a later poll or commit. */
    private void answered(Map<TopicPartition, OffsetAndMetadata> offsets, Exception failure) {
        if (failure == null) {
            offsets.forEach((p, o) -> pendingCommits.committed(p, o.offset()));
        } else {
            commitFailures.incrementAndGet();
            LOG.infof("Kafka did not take the commit of %s (%s): it goes with the next commit, or at the rebalance",
                    offsets.keySet(), failure.toString());
        }
    }

    public void jms(Exchange exchange) {
        Message m = exchange.getMessage();
        String key = m.getHeader("key", String.class);
        String entity = key == null || key.isEmpty() ? defaultKey : key;
        String client = m.getHeader(clientProperty, String.class);
        PointBatch batch = new PointBatch(JMS, client == null || client.isEmpty() ? entity : client, new ArrayList<>());
        parseInto(batch, m.getBody(String.class), entity, key, jmsMaxPoints, "vigil.jms.max-points");
        m.setBody(batch);
    }

    private void parseInto(PointBatch batch, String body, String entity, String key, int maxPoints,
            String maxPointsSetting) {
        try {
            List<RawPoint> points = JsonPoints.parseBody(body == null ? "" : body, entity, maxPoints, maxPointsSetting);
            if (points.isEmpty()) {
                // An empty array: nothing to score, but the message must not vanish without a trace.
                batch.rejections().add(new Rejection(batch.source(), batch.clientOf(entity), null, key, null,
                        RejectReason.EMPTY_POINT, "the message holds no data point", body));
            }
            batch.raw().addAll(points);
        } catch (InputProblem p) {
            batch.rejections().add(new Rejection(batch.source(), batch.clientOf(entity), null, key, null, p.rejectReason(),
                    p.getMessage(), body == null ? "" : body));
        }
    }
}
