package dev.vigil.camel.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

/**
 * What the sink routes need: a group's lines as the messages its sink takes, dead letters annotated with why, a
 * discard sink.
 */
@ApplicationScoped
@Named("sinks")
@RegisterForReflection
public class Sinks {
    /** Exchange property: the name of the sink a message is for (critical, rejected, ...), read by the dead letter. */
    static final String SINK = "vigilSink";
    /**
     * Exchange property: the lines of a group a per-record Kafka sink has yet to deliver, once an attempt failed for
     * some of them (what a redelivery sends and the dead letter takes).
     */
    static final String PENDING = "vigilPending";
    /** The header camel-kafka takes the record key from. */
    static final String KAFKA_KEY = "kafka.KEY";
    /** The fields of a line that become headers (Kafka) or properties (JMS) of its message. */
    private static final Set<String> HEADER_FIELDS = Set.of("key", "severity", "model", "state");
    private static final JsonFactory JSON = new JsonFactory();

    private final VigilMetrics metrics;
    /** The sinks whose URI is a kafka: endpoint, by name. */
    private final Set<String> kafkaSinks;

    @Inject
    public Sinks(VigilMetrics metrics, VigilConfig config) {
        this.metrics = metrics;
        this.kafkaSinks = SinkUris.of(config.sink()).entrySet().stream()
                .filter(e -> "kafka".equals(SinkUris.scheme(e.getValue()))).map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * A group for a sink that takes it whole: its lines as one newline-terminated body, for one append to a file, and
     * no header (none of Vigil's, nor any the group's exchange carried, reaches a broker). The route sends this
     * exchange itself: the group is already a copy of its own (split from the batch), so no further split is needed.
     */
    public void whole(Exchange exchange) {
        Message m = exchange.getMessage();
        @SuppressWarnings("unchecked")
        List<String> lines = m.getBody(List.class);
        m.removeHeaders("*");
        m.setBody(joinLines(lines));
    }

    /**
     * The messages a group of JSON lines becomes for a per-record sink: one per line with its {@code severity},
     * {@code model} and {@code state} as headers and its entity {@code key} as the record key of a Kafka sink
     * ({@code kafka.KEY}, so a topic can be partitioned and compacted by entity) or as the {@code key} header
     * otherwise (a JMS property, which Vigil's own JMS source reads). A line without one of those fields leaves its
     * header out.
     */
    public List<Message> messages(Exchange exchange) throws IOException {
        @SuppressWarnings("unchecked")
        List<String> lines = exchange.getMessage().getBody(List.class);
        List<Message> out = new ArrayList<>(lines.size());
        boolean kafka = kafkaSinks.contains(exchange.getProperty(SINK, String.class));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Message m = message(exchange, line);
            if (lines instanceof ResultLines results) {
                ResultLines.HeaderFields f = results.fields(i);
                header(m, kafka, "key", f.key());
                header(m, kafka, "severity", f.severity());
                header(m, kafka, "model", f.model());
                header(m, kafka, "state", f.state());
            } else {
                headers(line, kafka, m);
            }
            out.add(m);
        }
        return out;
    }

    /** A message with only a body: no header of Vigil's reaches a broker but those of {@link #headers}. */
    private static Message message(Exchange exchange, String body) {
        Message m = new DefaultMessage(exchange);
        m.setBody(body);
        return m;
    }

    private static String joinLines(List<String> lines) {
        int length = lines.size(); // the newlines
        for (String line : lines) {
            length += line.length();
        }
        // Sized to the whole: from a guess the buffer grew by copies, a tenth of what a file route allocated.
        StringBuilder sb = new StringBuilder(length);
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** The header of one field; a Kafka sink's entity key is the record key. A field without a value has none. */
    private static void header(Message m, boolean kafka, String field, String value) {
        if (value != null) {
            m.setHeader(kafka && "key".equals(field) ? KAFKA_KEY : field, value);
        }
    }

    /** The headers of a line from its JSON (a rejection, an alert, or a result line left after a failed send). */
    private static void headers(String line, boolean kafka, Message m) throws IOException {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING && HEADER_FIELDS.contains(field)) {
                    header(m, kafka, field, p.getText());
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    /**
     * Wraps each line a sink could not take as {@code {"sink", "error", "record"}}, so the dead-letter file
     * says where each record was going and why it did not arrive.
     */
    public String deadLetter(Exchange exchange) {
        String sink = exchange.getProperty(SINK, "unknown", String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = cause != null ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
                : "detection".equals(sink) ? "neither the model nor the fallback could score it (see fallbackReason)"
                : "unknown";
        Object pending = exchange.getProperty(PENDING);
        Object body = pending != null ? pending : exchange.getMessage().getBody();
        List<String> records = new ArrayList<>();
        if (body instanceof List<?> list) {
            list.forEach(o -> records.add(String.valueOf(o)));
        } else if (body != null) {
            for (String line : exchange.getMessage().getBody(String.class).split("\n")) {
                if (!line.isBlank()) {
                    records.add(line);
                }
            }
        }
        // Counted per record, as they are written: the results in and out of a sink add up.
        metrics.deadLetters(sink, records.size());
        StringBuilder sb = new StringBuilder();
        for (String record : records) {
            sb.append(ResultJson.write(g -> {
                g.writeStartObject();
                g.writeStringField("sink", sink);
                g.writeStringField("error", error);
                g.writeFieldName("record");
                if (record.startsWith("{")) {
                    g.writeRawValue(record);
                } else {
                    g.writeString(record);
                }
                g.writeEndObject();
            })).append('\n');
        }
        return sb.toString();
    }

    /** A sink that only counts: set {@code vigil.sink.low=bean:sinks?method=discard}. */
    public void discard(Exchange exchange) {
        // Counted in vigil_points_scored_total already; nothing to write.
    }
}
