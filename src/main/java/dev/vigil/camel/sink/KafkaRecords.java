package dev.vigil.camel.sink;

import dev.vigil.service.config.VigilConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A per-record Kafka sink: a group's results are sent as one record each, all at once (the client batches them),
 * and every acknowledgement awaited. The records that failed are kept on the exchange and the send fails, so the
 * sink's redelivery resends those, and only those, and the dead letter gets those that never went through: a
 * partial failure neither duplicates the records that were written nor loses the others. The producer is
 * idempotent (unless the sink's URI says otherwise), so the client's own retries never write a record twice; a
 * key's records go in the group's order, to one partition.
 */
@ApplicationScoped
@Named("kafkaRecords")
@RegisterForReflection
public class KafkaRecords {
    /** Beyond the producer's delivery timeout (after which every send has an outcome): the wait is bounded. */
    private static final long WAIT_MARGIN_MS = 5_000;
    private static final long DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;
    /**
     * The producer's batch per partition, unless the URI sets {@code producerBatchSize}: a group goes to a few
     * partitions, and the client puts one batch per partition in a request, with at most five requests in flight;
     * at the client's 16 KiB, a group of 500 results of 300 bytes to one partition took three round trips.
     */
    static final int DEFAULT_BATCH_BYTES = 512 * 1024;

    private final Sinks sinks;
    private final Map<String, String> uris;
    /** One producer per sink, made on its first group. */
    private final Map<String, Sender> senders = new ConcurrentHashMap<>();

    @Inject
    public KafkaRecords(Sinks sinks, VigilConfig config) {
        this.sinks = sinks;
        this.uris = SinkUris.of(config.sink());
    }

    /** The producer of one sink, its topic, and how long a send may take to have an outcome. */
    private record Sender(Producer<Object, Object> producer, String topic, long waitMs) {
    }

    /**
     * Sends the group's JSON lines (all of them, or those a failed attempt left) and awaits every acknowledgement;
     * if any failed, keeps those as {@link Sinks#PENDING} and throws the first failure.
     */
    public void send(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<String> lines = exchange.getProperty(Sinks.PENDING, List.class);
        if (lines != null) {
            exchange.getMessage().setBody(lines);
        } else {
            @SuppressWarnings("unchecked")
            List<String> group = exchange.getMessage().getBody(List.class);
            lines = group;
        }
        String sink = exchange.getProperty(Sinks.SINK, String.class);
        Sender sender = senders.computeIfAbsent(sink, s -> sender(exchange.getContext(), s));
        List<Message> messages = sinks.messages(exchange);
        List<Future<RecordMetadata>> sent = new ArrayList<>(messages.size());
        for (Message m : messages) {
            try {
                sent.add(sender.producer().send(record(sender.topic(), m)));
            } catch (RuntimeException e) {
                // Refused before it was queued (a closed producer, a record it cannot serialize): that record failed,
                // the group's others go on, so none of them is sent twice.
                sent.add(CompletableFuture.failedFuture(e));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sender.waitMs());
        List<String> failed = new ArrayList<>();
        Exception first = null;
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                failed.add(lines.get(i));
                first = first != null ? first : (Exception) (e.getCause() instanceof Exception c ? c : e);
            } catch (TimeoutException e) {
                // No outcome within the bound: counted as failed, so resent (at least once, never lost).
                failed.add(lines.get(i));
                first = first != null ? first : e;
            }
        }
        if (first != null) {
            // A redelivery starts again from the message as it came (Camel restores it): the property says what is
            // left, to the next attempt and to the dead letter.
            exchange.setProperty(Sinks.PENDING, failed);
            throw new KafkaSendException(failed.size() + " of " + sent.size() + " records not acknowledged by "
                    + sender.topic() + ": " + first.getClass().getSimpleName() + ": " + first.getMessage(), first);
        }
    }

    private static ProducerRecord<Object, Object> record(String topic, Message m) {
        ProducerRecord<Object, Object> r = new ProducerRecord<>(topic, m.getHeader(Sinks.KAFKA_KEY), m.getBody());
        m.getHeaders().forEach((name, value) -> {
            if (!Sinks.KAFKA_KEY.equals(name)) {
                r.headers().add(new RecordHeader(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8)));
            }
        });
        return r;
    }

    /**
     * The sink's producer, made by camel-kafka from the sink's URI and the component's connection settings, and
     * stopped with the Camel context.
     */
    private Sender sender(CamelContext context, String sink) {
        String uri = uris.get(sink);
        KafkaEndpoint endpoint = context.getEndpoint(uri, KafkaEndpoint.class);
        KafkaConfiguration c = endpoint.getConfiguration();
        if (!uri.contains("enableIdempotence=")) {
            c.setEnableIdempotence(true);
        }
        if (!uri.contains("producerBatchSize=")) {
            c.setProducerBatchSize(DEFAULT_BATCH_BYTES);
        }
        try {
            KafkaProducer producer = (KafkaProducer) endpoint.createProducer();
            context.addService(producer, true, true);
            @SuppressWarnings("unchecked")
            Producer<Object, Object> client = producer.getKafkaProducer();
            long delivery = c.getDeliveryTimeoutMs() != null ? c.getDeliveryTimeoutMs() : DEFAULT_DELIVERY_TIMEOUT_MS;
            return new Sender(client, c.getTopic(), delivery + WAIT_MARGIN_MS);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the Kafka producer of sink " + sink, e);
        }
    }

    /** Some records of a group were not acknowledged; they are the exchange's {@link Sinks#PENDING}. */
    public static final class KafkaSendException extends Exception {
        KafkaSendException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
