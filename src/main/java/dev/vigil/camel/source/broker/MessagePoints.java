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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
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
 * again from the committed offset. The last record of each partition is remembered for the commit; a commit
 * that Kafka refuses because the group is rebalancing is kept in {@link RefusedCommits}, and the revocation
 * callback of that rebalance makes it ({@link PartitionHandover}), so the partition's next owner does not read the
 * routed batch again.</li>
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
    private final RefusedCommits refusedCommits;
    private final AtomicLong keyMismatches = new AtomicLong();
    private final AtomicLong leftToNewOwner = new AtomicLong();

    @Inject
    public MessagePoints(VigilConfig config, PartitionOwnership ownership, RefusedCommits refusedCommits,
            VigilMetrics metrics) {
        this.defaultKey = config.keys().defaultKey();
        this.clientProperty = config.jms().clientProperty();
        this.kafkaMaxPoints = config.kafka().maxPoints();
        this.jmsMaxPoints = config.jms().maxPoints();
        this.ownership = ownership;
        this.refusedCommits = refusedCommits;
        metrics.counted("vigil.kafka.key.mismatches", "Kafka points whose payload key differed from the record key"
                + " (the record key was used)", keyMismatches::get);
        metrics.counted("vigil.kafka.records.left", "Kafka records polled before their partition was revoked, left"
                + " to the new owner", leftToNewOwner::get);
    }

    public void kafka(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Exchange> records = exchange.getMessage().getBody(List.class);
        PointBatch batch = new PointBatch(KAFKA, PointBatch.CLIENT_IS_ENTITY_KEY, new ArrayList<>());
        Map<TopicPartition, PartitionCommit> lastOfPartition = new LinkedHashMap<>();
        int left = 0;
        for (Exchange record : records) {
            Message m = record.getMessage();
            Integer partition = m.getHeader(KafkaConstants.PARTITION, Integer.class);
            String topic = m.getHeader(KafkaConstants.TOPIC, String.class);
            TopicPartition tp = partition == null ? null : new TopicPartition(topic, partition);
            String partitionName = tp == null ? null : PartitionHandover.name(tp);
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
                if (partitionName != null) {
                    ownership.seen(p.key(), partitionName);
                }
            }
            KafkaManualCommit commit = m.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            Long offset = m.getHeader(KafkaConstants.OFFSET, Long.class);
            if (commit != null && tp != null && offset != null) {
                lastOfPartition.put(tp, new PartitionCommit(tp, offset + 1, commit));
            }
        }
        if (left > 0) {
            leftToNewOwner.addAndGet(left);
            LOG.infof("%d Kafka records polled before their partition was revoked were left to its new owner", left);
        }
        exchange.setProperty(Headers.KAFKA_COMMITS, List.copyOf(lastOfPartition.values()));
        exchange.getMessage().setBody(batch);
    }

    /** The commit of one partition's offsets after a batch: {@code nextOffset} is the offset after its last record. */
    record PartitionCommit(TopicPartition partition, long nextOffset, KafkaManualCommit commit) {
    }

    /**
     * Commits the offsets of a poll once its batch is routed (at-least-once). A commit refused because the group is
     * rebalancing is kept for that rebalance's callbacks (its revocation, or its end) rather than failing the routed
     * batch.
     */
    public void commitKafka(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<PartitionCommit> commits = exchange.getProperty(Headers.KAFKA_COMMITS, List.class);
        if (commits == null) {
            return;
        }
        List<TopicPartition> refused = new ArrayList<>();
        for (PartitionCommit c : commits) {
            try {
                c.commit().commit();
                refusedCommits.committed(c.partition(), c.nextOffset());
            } catch (RebalanceInProgressException e) {
                refusedCommits.refused(c.partition(), c.nextOffset());
                refused.add(c.partition());
            }
        }
        if (!refused.isEmpty()) {
            LOG.infof("Kafka refused the commit of %s during a rebalance: kept for the rebalance's callbacks", refused);
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
