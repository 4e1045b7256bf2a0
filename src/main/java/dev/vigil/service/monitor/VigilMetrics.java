package dev.vigil.service.monitor;

import dev.vigil.detect.grade.Severity;
import dev.vigil.service.point.DetectorState;
import dev.vigil.service.point.Rejection;
import dev.vigil.service.point.Result;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Vigil's own meters. Tags come only from bounded sets (source, severity, state, reason), never from an entity
 * key or a client id. Counting happens once per batch, not once per point.
 */
@ApplicationScoped
public class VigilMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** Keeps the suppliers of {@link #counted} reachable for as long as the metrics are. */
    private final List<Supplier<Number>> countSources = new CopyOnWriteArrayList<>();
    private final Map<String, DistributionSummary> batchSizes = new ConcurrentHashMap<>();
    private final Timer detection;
    private final Timer fallback;

    @Inject
    public VigilMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.detection = Timer.builder("vigil.detection.duration").description("Time to score one batch")
                .tag("path", "model").register(registry);
        this.fallback = Timer.builder("vigil.detection.duration").description("Time to score one batch")
                .tag("path", "fallback").register(registry);
    }

    private Counter counter(String name, String description, String... tags) {
        String id = name + String.join(",", tags);
        return counters.computeIfAbsent(id, k -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }

    /** Points a source delivered (valid or not). */
    public void received(String source, int points) {
        if (points > 0) {
            counter("vigil.points.received", "Points delivered by a source", "source", source).increment(points);
            batchSizes.computeIfAbsent(source, s -> DistributionSummary.builder("vigil.batch.points")
                    .description("Points per delivered batch").tag("source", s).register(registry))
                    .record(points);
        }
    }

    public void rejected(List<Rejection> rejections) {
        for (Rejection r : rejections) {
            counter("vigil.points.rejected", "Inputs refused by validation", "source", r.source(), "reason",
                    r.rule().label()).increment();
        }
    }

    /** Results of a source's batch, by severity and detector state: the points out per source. */
    public void scored(String source, List<Result> results) {
        int[][] counts = new int[Severity.values().length][DetectorState.values().length];
        int anomalies = 0;
        int events = 0;
        for (Result r : results) {
            counts[r.severity().ordinal()][r.state().ordinal()]++;
            if (r.anomaly()) {
                anomalies++;
                if (r.eventStart()) {
                    events++;
                }
            }
        }
        if (anomalies > 0) {
            counter("vigil.points.anomalous", "Results with isAnomaly true, by source", "source", source)
                    .increment(anomalies);
        }
        if (events > 0) {
            counter("vigil.anomaly.events", "Anomaly events: a key's anomalies within vigil.events.gap points of "
                    + "each other count once, by source", "source", source).increment(events);
        }
        for (Severity s : Severity.values()) {
            for (DetectorState st : DetectorState.values()) {
                int n = counts[s.ordinal()][st.ordinal()];
                if (n > 0) {
                    counter("vigil.points.scored", "Points scored, by source, severity and detector state",
                            "source", source, "severity", s.label(), "state", st.label()).increment(n);
                }
            }
        }
    }

    /** Points a client sent beyond its limit: delayed (brokers, files) or refused with 429 (HTTP). */
    public void throttled(String source, int points) {
        counter("vigil.points.throttled", "Points over a client's rate limit", "source", source).increment(points);
    }

    public void fallbackUsed(String reason) {
        counter("vigil.fallback.batches", "Batches scored by the fallback", "reason", reason).increment();
    }

    /** A refused or suspicious request, by event type (a bounded set: the labels of SecurityEvent.Type). */
    public void securityEvent(String type) {
        counter("vigil.security.events", "Refused or suspicious requests, by type", "type", type).increment();
    }

    /** Records (results, rejections, alerts) a sink could not take, sent to the dead-letter endpoint. */
    public void deadLetters(String sink, int records) {
        counter("vigil.dead.letters", "Records sent to the dead-letter endpoint, by the sink they were meant for",
                "sink", sink).increment(records);
    }

    public void alertRaised(String type) {
        counter("vigil.alerts.raised", "Operational alerts sent", "type", type).increment();
    }

    /** A gauge of one of Vigil's own values, with tags from a bounded set. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value).description(description).tags(tags).register(registry);
    }

    /** A gauge in a base unit, e.g. {@code bytes} or {@code seconds}. */
    public void gaugeIn(String name, String description, String baseUnit, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).baseUnit(baseUnit).register(registry);
    }

    /** A counter (a {@code _total} series) that reads a running count Vigil keeps itself. */
    public void counted(String name, String description, Supplier<Number> count) {
        // A function counter holds its object weakly: a method reference would be collected and the series freeze.
        countSources.add(count);
        FunctionCounter.builder(name, count, c -> c.get().doubleValue()).description(description).register(registry);
    }

    /** A counter of one of Vigil's events, by a tag from a bounded set. */
    public void count(String name, String description, String tag, String value) {
        counter(name, description, tag, value).increment();
    }

    /** Adds {@code amount} to a counter of one of Vigil's quantities (bytes, points), by a tag from a bounded set. */
    public void count(String name, String description, String tag, String value, double amount) {
        counter(name, description, tag, value).increment(amount);
    }

    public Timer detectionTimer() {
        return detection;
    }

    public Timer fallbackTimer() {
        return fallback;
    }
}
