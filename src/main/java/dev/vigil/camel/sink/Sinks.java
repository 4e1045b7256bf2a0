package dev.vigil.camel.sink;

import dev.vigil.service.monitor.VigilMetrics;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;

/** What the sink routes need: lines joined into one append, dead letters annotated with why, a discard sink. */
@ApplicationScoped
@Named("sinks")
@RegisterForReflection
public class Sinks {
    private final VigilMetrics metrics;

    @Inject
    public Sinks(VigilMetrics metrics) {
        this.metrics = metrics;
    }

    /** A group's JSON lines as one text, newline-terminated, for one append to a file. */
    public String joinLines(List<String> lines) {
        StringBuilder sb = new StringBuilder(lines.size() * 200);
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /**
     * Wraps each line a sink could not take as {@code {"sink", "error", "record"}}, so the dead-letter file
     * says where each record was going and why it did not arrive.
     */
    public String deadLetter(Exchange exchange) {
        String sink = exchange.getMessage().getHeader("vigilSink", "unknown", String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = cause != null ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
                : "detection".equals(sink) ? "neither the model nor the fallback could score it (see fallbackReason)"
                : "unknown";
        Object body = exchange.getMessage().getBody();
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
