package dev.vigil.camel;

import dev.vigil.detect.Severity;
import dev.vigil.service.ClientThrottle;
import dev.vigil.service.DataPoint;
import dev.vigil.service.DetectionService;
import dev.vigil.service.PointBatch;
import dev.vigil.service.PointValidator;
import dev.vigil.service.Result;
import dev.vigil.service.VigilMetrics;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

/**
 * The steps every source shares, as methods the YAML routes call by name ({@code bean: {ref: pipeline,
 * method: validate}}): validate, throttle, detect, fallback, and the split of results into severity groups.
 */
@ApplicationScoped
@Named("pipeline")
@RegisterForReflection
public class Pipeline {
    private final PointValidator validator;
    private final ClientThrottle throttle;
    private final DetectionService detection;
    private final VigilMetrics metrics;

    @Inject
    public Pipeline(PointValidator validator, ClientThrottle throttle, DetectionService detection, VigilMetrics metrics) {
        this.validator = validator;
        this.throttle = throttle;
        this.detection = detection;
        this.metrics = metrics;
    }

    /** Moves each raw point into the batch's points or its rejections, and counts both. */
    public void validate(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        int parseRejected = batch.rejections().size();
        metrics.received(batch.source(), batch.raw().size() + parseRejected);
        validator.validate(batch);
        metrics.rejected(batch.rejections());
    }

    /**
     * Back-pressure for brokers and files: waits until every client of the batch is within its limit. Nothing
     * is dropped; the consumer thread is simply slower, so the broker or the folder holds the rest.
     */
    public void throttle(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        long waitNanos = 0;
        for (Map.Entry<String, Integer> client : pointsByClient(batch).entrySet()) {
            long wait = throttle.reserve(batch.source(), client.getKey(), client.getValue());
            if (wait > 0) {
                metrics.throttled(batch.source(), client.getValue());
                waitNanos = Math.max(waitNanos, wait);
            }
        }
        long deadline = System.nanoTime() + waitNanos;
        while (waitNanos > 0) {
            LockSupport.parkNanos(waitNanos);
            if (Thread.interrupted()) {
                throw new IllegalStateException("interrupted while throttled; the input will be redelivered");
            }
            waitNanos = deadline - System.nanoTime();
        }
    }

    /** HTTP rate limit: refuses the whole request with 429 and a Retry-After when the client is over it. */
    public void rateLimit(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        if (batch.points().isEmpty()) {
            return;
        }
        long wait = throttle.tryAcquire(batch.source(), batch.client(), batch.points().size());
        if (wait > 0) {
            metrics.throttled(batch.source(), batch.points().size());
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
            throw new InputProblem(429, "rate_limited", "client over its limit of " + throttle.limit(batch.source())
                    + " points per minute; retry after " + seconds + " s", seconds);
        }
    }

    private static Map<String, Integer> pointsByClient(PointBatch batch) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (!PointBatch.CLIENT_IS_ENTITY_KEY.equals(batch.client())) {
            counts.put(batch.client(), batch.points().size());
            return counts;
        }
        for (DataPoint p : batch.points()) {
            counts.merge(p.key(), 1, Integer::sum);
        }
        return counts;
    }

    /** Scores the batch with the configured model (inside the circuit breaker). */
    public void detect(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        Timer.Sample sample = Timer.start();
        List<Result> results = detection.score(batch);
        sample.stop(metrics.detectionTimer());
        if (batch.complete(results)) {
            metrics.scored(results);
        }
    }

    /** The breaker's fallback: scores with the z-score model and marks the results degraded, with the reason. */
    public void fallback(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        String reason = fallbackReason(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        metrics.fallbackUsed(reason.replaceAll(":.*", ""));
        Timer.Sample sample = Timer.start();
        List<Result> results = detection.fallback(batch, reason);
        sample.stop(metrics.fallbackTimer());
        if (batch.complete(results)) {
            metrics.scored(results);
        }
    }

    static String fallbackReason(Throwable cause) {
        if (cause == null) {
            return "circuit_open";
        }
        String name = cause.getClass().getSimpleName();
        if (cause instanceof TimeoutException || name.contains("Timeout")) {
            return "timeout";
        }
        if (name.contains("CircuitBreakerOpen")) {
            return "circuit_open";
        }
        String message = cause.getMessage() == null ? name : name + ": " + cause.getMessage();
        return "error: " + (message.length() > 200 ? message.substring(0, 200) : message);
    }

    /** When the fallback failed too: every point becomes a failed result, for the dead-letter endpoint. */
    public void failed(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        List<Result> results = DetectionService.failed(batch, "fallback failed: "
                + (cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage()));
        if (batch.complete(results)) {
            metrics.scored(results);
        }
    }

    /**
     * One message per severity present in the batch, body the JSON lines of its results, header
     * {@link Headers#SEVERITY}: each group travels to its sink as one message.
     */
    public List<Message> severityGroups(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        List<Result> results = batch.results();
        if (results == null) {
            return List.of();
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (Result r : results) {
            String group = r.state() == dev.vigil.service.DetectorState.FAILED ? "failed" : r.severity().label();
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(ResultJson.result(batch.source(), r));
        }
        List<Message> messages = new ArrayList<>(groups.size());
        for (Severity s : Severity.values()) {
            add(exchange, messages, groups, s.label());
        }
        add(exchange, messages, groups, "failed");
        return messages;
    }

    private static void add(Exchange exchange, List<Message> messages, Map<String, List<String>> groups, String name) {
        List<String> lines = groups.get(name);
        if (lines != null) {
            Message m = new DefaultMessage(exchange);
            m.setHeader(Headers.SEVERITY, name);
            m.setBody(lines);
            messages.add(m);
        }
    }

    /** The rejections of a batch as JSON lines, for the rejected endpoint. */
    public List<String> rejectedLines(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        List<String> lines = new ArrayList<>(batch.rejections().size());
        for (var r : batch.rejections()) {
            lines.add(ResultJson.rejection(r));
        }
        return lines;
    }
}
