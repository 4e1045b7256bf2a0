package dev.vigil.camel;

import dev.vigil.service.PointBatch;
import dev.vigil.service.RawPoint;
import dev.vigil.service.Rejection;
import dev.vigil.service.VigilConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.common.TopicPartition;

/**
 * Parses broker messages into batches. A message body is one JSON point or an array; a body that cannot be
 * read is rejected with its reason, never thrown, so one bad message cannot block a queue or a partition.
 *
 * <ul>
 * <li>{@link #kafka}: a batching consumer's poll (a list of record exchanges) becomes one batch. The record
 * key is the entity key and the client; the last record of each partition is remembered for the commit.</li>
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

    private final String defaultKey;
    private final String clientProperty;
    private final int maxPoints;

    @Inject
    public MessagePoints(VigilConfig config) {
        this.defaultKey = config.keys().defaultKey();
        this.clientProperty = config.jms().clientProperty();
        this.maxPoints = config.http().maxPoints();
    }

    public void kafka(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Exchange> records = exchange.getMessage().getBody(List.class);
        PointBatch batch = new PointBatch(KAFKA, PointBatch.CLIENT_IS_ENTITY_KEY, new ArrayList<>());
        Map<TopicPartition, KafkaManualCommit> lastOfPartition = new LinkedHashMap<>();
        for (Exchange record : records) {
            Message m = record.getMessage();
            String key = m.getHeader(KafkaConstants.KEY, String.class);
            parseInto(batch, m.getBody(String.class), key == null || key.isEmpty() ? defaultKey : key, key);
            KafkaManualCommit commit = m.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            Integer partition = m.getHeader(KafkaConstants.PARTITION, Integer.class);
            String topic = m.getHeader(KafkaConstants.TOPIC, String.class);
            if (commit != null && partition != null) {
                lastOfPartition.put(new TopicPartition(topic, partition), commit);
            }
        }
        exchange.setProperty(Headers.KAFKA_COMMITS, List.copyOf(lastOfPartition.values()));
        exchange.getMessage().setBody(batch);
    }

    /** Commits the offsets of a poll once its batch is routed (at-least-once). */
    public void commitKafka(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<KafkaManualCommit> commits = exchange.getProperty(Headers.KAFKA_COMMITS, List.class);
        if (commits != null) {
            for (KafkaManualCommit c : commits) {
                c.commit();
            }
        }
    }

    public void jms(Exchange exchange) {
        Message m = exchange.getMessage();
        String key = m.getHeader("key", String.class);
        String entity = key == null || key.isEmpty() ? defaultKey : key;
        String client = m.getHeader(clientProperty, String.class);
        PointBatch batch = new PointBatch(JMS, client == null || client.isEmpty() ? entity : client, new ArrayList<>());
        parseInto(batch, m.getBody(String.class), entity, key);
        m.setBody(batch);
    }

    private void parseInto(PointBatch batch, String body, String entity, String key) {
        try {
            List<RawPoint> points = JsonPoints.parseBody(body == null ? "" : body, entity, maxPoints);
            batch.raw().addAll(points);
        } catch (InputProblem p) {
            batch.rejections().add(new Rejection(batch.source(), batch.client(), null, key, null, p.rejectReason(),
                    p.getMessage(), body == null ? "" : body));
        }
    }
}
