package dev.vigil.camel.pipeline;

import dev.vigil.camel.parse.InputProblem;
import dev.vigil.camel.sink.ResultJson;
import dev.vigil.camel.sink.ResultLines;
import dev.vigil.detect.grade.Severity;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.entity.DetectionService;
import dev.vigil.service.monitor.MonitoringService;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.PointValidator;
import dev.vigil.service.point.RawPoint;
import dev.vigil.service.point.Rejection;
import dev.vigil.service.point.Result;
import dev.vigil.service.security.ClientThrottle;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
public class PipelineSteps {
    private final PointValidator validator;
    private final ClientThrottle throttle;
    private final DetectionService detection;
    private final VigilMetrics metrics;
    private final MonitoringService monitoring;
    private static final int SCORING_QUEUE = 1024;
    private static final int SHARES_PER_THREAD = 2;

    private final long timeoutMillis;
    private final int maxOriginalLength;
    /**
     * Scoring runs here so a batch can be given up after the timeout: a CPU-bound model cannot be interrupted,
     * and the breaker calls its steps on the caller's thread. One thread per core (scoring is CPU-bound); bursts
     * queue, and the timeout, counted from submission, still bounds the wait. Bounded, so a stuck model cannot
     * take every thread and queue forever: once the queue is full, batches fail fast and the breaker opens.
     */
    private final ThreadPoolExecutor scoring;

    @Inject
    public PipelineSteps(PointValidator validator, ClientThrottle throttle, DetectionService detection, VigilMetrics metrics,
            MonitoringService monitoring, VigilConfig config) {
        this.validator = validator;
        this.throttle = throttle;
        this.detection = detection;
        this.metrics = metrics;
        this.monitoring = monitoring;
        this.timeoutMillis = config.breaker().timeout();
        this.maxOriginalLength = config.validation().maxOriginalLength();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        this.scoring = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(SCORING_QUEUE),
                r -> {
                    Thread t = new Thread(r, "vigil-scoring-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @PreDestroy
    void stop() {
        scoring.shutdownNow();
    }

    /** Route predicate: the batch holds points for detection. */
    public boolean hasPoints(PointBatch batch) {
        return batch.hasPoints();
    }

    /** Route predicate: validation or parsing refused some of the batch's inputs. */
    public boolean hasRejections(PointBatch batch) {
        return batch.hasRejections();
    }

    /**
     * Moves each raw point into the batch's points or its rejections, and counts both (received once per point). What
     * a rejection keeps of its input is cut to {@code vigil.validation.max-original-length} here, the one step every
     * source passes.
     */
    public void validate(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        int parseRejected = batch.rejections().size();
        if (!batch.countedOnArrival()) {
            metrics.received(batch.source(), batch.raw().size() + parseRejected);
        }
        validator.validate(batch);
        batch.rejections().replaceAll(r -> r.truncatedTo(maxOriginalLength));
        metrics.rejected(batch.rejections());
        monitoring.rejected(batch.rejections().size());
    }

    /**
     * Back-pressure for brokers and files: waits until every client of the batch is within its limit. Nothing
     * is dropped; the consumer thread is simply slower, so the broker or the folder holds the rest. The routes call
     * it before validation, and every point counts, valid or not: a flood of invalid points is slowed down like any
     * other, before it costs key lookups or rejections.
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

    /**
     * HTTP rate limit, right after parsing: refuses the whole request with 429 and a Retry-After when the client is
     * over it. Every point of the request counts, valid or not, and before validation: a client over its limit can
     * neither make keys be created, evicted and restored nor fill the rejected sink.
     */
    public void rateLimit(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        int points = batch.raw().size() + batch.points().size() + batch.rejections().size();
        if (points == 0) {
            return;
        }
        long wait = throttle.tryAcquire(batch.source(), batch.client(), points);
        if (wait > 0) {
            metrics.throttled(batch.source(), points);
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
            throw new InputProblem(429, "rate_limited", "client over its limit of " + throttle.limit(batch.source())
                    + " points per minute; retry after " + seconds + " s", seconds);
        }
    }

    /** The points of the batch by client, whether validated yet or not, the refused ones included. */
    private static Map<String, Integer> pointsByClient(PointBatch batch) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (!PointBatch.CLIENT_IS_ENTITY_KEY.equals(batch.client())) {
            counts.put(batch.client(), batch.raw().size() + batch.points().size() + batch.rejections().size());
            return counts;
        }
        for (RawPoint p : batch.raw()) {
            counts.merge(String.valueOf(p.key()), 1, Integer::sum);
        }
        for (DataPoint p : batch.points()) {
            counts.merge(p.key(), 1, Integer::sum);
        }
        for (Rejection r : batch.rejections()) {
            counts.merge(String.valueOf(r.key()), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Scores the batch with the configured model, inside the circuit breaker. Fails (and so counts against the
     * breaker) if the model throws or takes longer than {@code vigil.breaker.timeout}.
     *
     * <p>A batch of several keys is split by key into two shares per scoring thread, scored at once: a key's points
     * stay together and in order, in one share. Two a thread, so that a thread done with a light share takes another
     * instead of waiting for the heaviest (the batch waits for its last share). Each share also renders its results
     * as the sinks' lines, so that work is spread over the threads too.
     */
    public void detect(Exchange exchange) throws Exception {
        PointBatch batch = Headers.batch(exchange);
        batch.detectionAttempted();
        long start = System.nanoTime();
        List<List<DataPoint>> shares = KeyShares.split(batch.points(), SHARES_PER_THREAD * scoring.getCorePoolSize());
        List<Future<Scored>> scored = new ArrayList<>(shares.size());
        List<Result> results;
        List<String> lines;
        try {
            for (List<DataPoint> share : shares) {
                scored.add(share.isEmpty() ? null : scoring.submit(() -> score(batch.source(), share)));
            }
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            List<List<Result>> partResults = new ArrayList<>(shares.size());
            List<List<String>> partLines = new ArrayList<>(shares.size());
            for (Future<Scored> part : scored) {
                Scored done = part == null ? Scored.NONE : part.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                partResults.add(done.results);
                partLines.add(done.lines);
            }
            results = KeyShares.merge(batch.points(), partResults);
            lines = KeyShares.merge(batch.points(), partLines);
        } catch (ExecutionException e) {
            batch.detectionFailed(e.getCause());
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException | RejectedExecutionException e) {
            batch.detectionFailed(e);
            throw e;
        }
        long nanos = System.nanoTime() - start;
        metrics.detectionTimer().record(nanos, TimeUnit.NANOSECONDS);
        if (batch.complete(results, lines)) {
            metrics.scored(batch.source(), results);
            monitoring.scored(results, nanos);
        }
    }

    /** One share's results and their sink lines, in the share's order. */
    private record Scored(List<Result> results, List<String> lines) {
        static final Scored NONE = new Scored(List.of(), List.of());
    }

    private Scored score(String source, List<DataPoint> share) {
        List<Result> results = detection.score(share);
        List<String> lines = new ArrayList<>(results.size());
        for (Result r : results) {
            lines.add(ResultJson.result(source, r));
        }
        return new Scored(results, lines);
    }

    /**
     * The breaker's fallback: scores with the fallback model and marks the results degraded, with the reason.
     * If the fallback fails too, every point becomes a failed result and goes to the dead-letter endpoint.
     */
    public void fallback(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        if (!batch.claimForFallback()) {
            return;
        }
        String reason = batch.fallbackReason();
        metrics.fallbackUsed(reason.replaceAll(":.*", ""));
        long start = System.nanoTime();
        List<Result> results;
        try {
            results = detection.fallback(batch, reason);
        } catch (RuntimeException e) {
            results = DetectionService.failed(batch, "fallback failed: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
        long nanos = System.nanoTime() - start;
        metrics.fallbackTimer().record(nanos, TimeUnit.NANOSECONDS);
        batch.completeFallback(results);
        metrics.scored(batch.source(), results);
        monitoring.scored(results, nanos);
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
        Map<String, ResultLines> groups = new LinkedHashMap<>();
        List<String> lines = batch.lines();
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            String group = r.state() == dev.vigil.service.point.DetectorState.FAILED ? "failed"
                    // A repeat of an event the severity's sink already has: still written, to the normal sink.
                    : r.repeat() && detection.repeatsToNormal() ? Severity.LOW.label() : r.severity().label();
            groups.computeIfAbsent(group, g -> new ResultLines())
                    .appendLine(lines != null ? lines.get(i) : ResultJson.result(batch.source(), r), r);
        }
        List<Message> messages = new ArrayList<>(groups.size());
        for (Severity s : Severity.values()) {
            add(exchange, messages, groups, s.label());
        }
        add(exchange, messages, groups, "failed");
        return messages;
    }

    private static void add(Exchange exchange, List<Message> messages, Map<String, ResultLines> groups, String name) {
        ResultLines lines = groups.get(name);
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
