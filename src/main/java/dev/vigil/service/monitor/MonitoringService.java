package dev.vigil.service.monitor;

import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.point.DetectorState;
import dev.vigil.service.point.Result;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The reference MonitoringService: watches processing time, error rate, anomaly rate, memory and throughput,
 * raises an {@link Alert} when one crosses its threshold ({@code vigil.alerts.*}), at most once per type per
 * cooldown, and keeps the alert active until the condition clears. Fed once per batch, never per point.
 *
 * <p>Windows: processing time and throughput over the last {@value #RECENT_BATCHES} batches, as the reference;
 * error and anomaly rates over the last {@code vigil.alerts.window} points, and only once that many have been
 * seen (a rate of 0.1 % means nothing over 100 points). Throughput is points per second of scoring time, so an
 * idle service or a slow trickle of input does not read as a slow one.
 */
@ApplicationScoped
public class MonitoringService {
    static final int RECENT_BATCHES = 100;
    private static final int RECENT_ALERTS = 20;
    private static final long MIB = 1024 * 1024;

    public enum Status {
        HEALTHY, WARNING, CRITICAL
    }

    private final VigilConfig.Alerts config;
    private final Consumer<Alert> notifier;
    private final Clock clock;
    private final ScheduledExecutorService sampler;

    private final double[] batchSeconds = new double[RECENT_BATCHES];
    private final int[] batchPoints = new int[RECENT_BATCHES];
    private int batches;
    private double recentSeconds;
    private long recentPoints;

    /** Recent windows of (points, anomalies, errors), oldest first, covering at least {@code window} points. */
    private final ArrayDeque<int[]> rateWindow = new ArrayDeque<>();
    private long windowPoints;
    private long windowAnomalies;
    private long windowErrors;

    private final Map<Alert.Type, Alert> active = new EnumMap<>(Alert.Type.class);
    private final Map<Alert.Type, Instant> lastSent = new EnumMap<>(Alert.Type.class);
    private final ArrayDeque<Alert> recent = new ArrayDeque<>();
    private double memoryMb;
    private DetectorState lastState = DetectorState.HEALTHY;
    private Instant lastStateAt;

    private long scored;
    private long anomalies;
    private long rejected;
    private long failed;
    private long degraded;

    @Inject
    public MonitoringService(VigilConfig config, Event<Alert> alerts, VigilMetrics metrics) {
        this(config.alerts(), alert -> {
            metrics.alertRaised(alert.type().label());
            alerts.fireAsync(alert);
        }, Clock.systemUTC(), true);
        metrics.gauge("vigil.alerts.active", "Operational alerts currently active", () -> activeAlerts().size());
        metrics.gaugeIn("vigil.process.resident.memory", "Resident memory of the process, sampled every 10 s",
                "bytes", () -> totals().residentMemoryMb() * MIB);
    }

    public MonitoringService(VigilConfig.Alerts config, Consumer<Alert> notifier, Clock clock, boolean sampleMemory) {
        this.config = config;
        this.notifier = notifier;
        this.clock = clock;
        if (sampleMemory) {
            sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vigil-monitor");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleWithFixedDelay(() -> memory(residentMemoryMb()), 0, 10, TimeUnit.SECONDS);
        } else {
            sampler = null;
        }
    }

    @PreDestroy
    void stop() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }

    /** Points refused by validation: they count as errors. */
    public void rejected(int points) {
        if (points > 0) {
            List<Alert> raised;
            synchronized (this) {
                rejected += points;
                addToWindow(points, 0, points);
                raised = evaluateRates();
            }
            raised.forEach(notifier);
        }
    }

    /** One scored batch: its results and the time it took. Failed results count as errors. */
    public void scored(List<Result> results, long nanos) {
        int anomalous = 0;
        int failures = 0;
        int fallback = 0;
        for (Result r : results) {
            if (r.anomaly()) {
                anomalous++;
            }
            if (r.state() == DetectorState.FAILED) {
                failures++;
            } else if (r.state() == DetectorState.DEGRADED) {
                fallback++;
            }
        }
        List<Alert> raised;
        synchronized (this) {
            scored += results.size();
            anomalies += anomalous;
            failed += failures;
            degraded += fallback;
            lastState = failures > 0 ? DetectorState.FAILED : fallback > 0 ? DetectorState.DEGRADED : DetectorState.HEALTHY;
            lastStateAt = clock.instant();
            addBatchTime(results.size(), nanos / 1e9);
            addToWindow(results.size(), anomalous, failures);
            raised = evaluateRates();
            raised.addAll(evaluateProcessing());
        }
        raised.forEach(notifier);
    }

    /**
     * An alert about one event rather than a lasting condition (drift of a key): sent now, kept among the recent
     * alerts, never active. The caller applies its own cooldown.
     */
    public void notice(Alert alert) {
        synchronized (this) {
            remember(alert);
        }
        notifier.accept(alert);
    }

    /** A memory sample in MiB; the sampler takes one every 10 s. */
    void memory(double mb) {
        Alert raised;
        synchronized (this) {
            memoryMb = mb;
            raised = check(Alert.Type.HIGH_MEMORY, mb > config.memoryMb(), mb, config.memoryMb(),
                    () -> "Memory usage: %.1f MB".formatted(mb));
        }
        if (raised != null) {
            notifier.accept(raised);
        }
    }

    private void addBatchTime(int points, double seconds) {
        int slot = batches % RECENT_BATCHES;
        if (batches >= RECENT_BATCHES) {
            recentSeconds -= batchSeconds[slot];
            recentPoints -= batchPoints[slot];
        }
        batchSeconds[slot] = seconds;
        batchPoints[slot] = points;
        recentSeconds += seconds;
        recentPoints += points;
        batches++;
    }

    private void addToWindow(int points, int anomalous, int errors) {
        rateWindow.addLast(new int[] {points, anomalous, errors});
        windowPoints += points;
        windowAnomalies += anomalous;
        windowErrors += errors;
        while (windowPoints - rateWindow.peekFirst()[0] >= config.window()) {
            int[] oldest = rateWindow.removeFirst();
            windowPoints -= oldest[0];
            windowAnomalies -= oldest[1];
            windowErrors -= oldest[2];
        }
    }

    private List<Alert> evaluateRates() {
        List<Alert> raised = new ArrayList<>(3);
        if (windowPoints < config.window()) {
            return raised;
        }
        double errorRate = (double) windowErrors / windowPoints;
        add(raised, check(Alert.Type.HIGH_ERROR_RATE, errorRate > config.errorRate(), errorRate, config.errorRate(),
                () -> "Error rate: %.1f%% of the last %d points".formatted(100 * errorRate, windowPoints)));
        long scoredInWindow = windowPoints - windowErrors;
        if (scoredInWindow > 0) {
            double anomalyRate = (double) windowAnomalies / scoredInWindow;
            add(raised, check(Alert.Type.HIGH_ANOMALY_RATE, anomalyRate > config.anomalyRateHigh(), anomalyRate,
                    config.anomalyRateHigh(), () -> "Anomaly rate: %.1f%%".formatted(100 * anomalyRate)));
            add(raised, check(Alert.Type.LOW_ANOMALY_RATE, anomalyRate < config.anomalyRateLow(), anomalyRate,
                    config.anomalyRateLow(), () -> "Anomaly rate: %.2f%%".formatted(100 * anomalyRate)));
        }
        return raised;
    }

    private List<Alert> evaluateProcessing() {
        List<Alert> raised = new ArrayList<>(2);
        if (batches < RECENT_BATCHES) {
            return raised;
        }
        double meanSeconds = recentSeconds / RECENT_BATCHES;
        add(raised, check(Alert.Type.SLOW_PROCESSING, meanSeconds > config.slowProcessing(), meanSeconds,
                config.slowProcessing(), () -> "Average processing time: %.3fs per batch".formatted(meanSeconds)));
        double throughput = recentSeconds > 0 ? recentPoints / recentSeconds : Double.POSITIVE_INFINITY;
        add(raised, check(Alert.Type.LOW_THROUGHPUT, throughput < config.lowThroughput(), throughput,
                config.lowThroughput(), () -> "Throughput: %.1f points/sec of scoring".formatted(throughput)));
        return raised;
    }

    private static void add(List<Alert> raised, Alert alert) {
        if (alert != null) {
            raised.add(alert);
        }
    }

    /**
     * Updates one alert's state; returns the alert when it is to be sent now (new, or its cooldown has passed). The
     * message is formatted only for a firing alert: this runs for every scored batch, under the service's lock.
     */
    private Alert check(Alert.Type type, boolean firing, double value, double threshold, Supplier<String> message) {
        if (!firing) {
            active.remove(type);
            return null;
        }
        Instant now = clock.instant();
        Alert alert = new Alert(type, message.get(), value, threshold, now);
        active.put(type, alert);
        Instant last = lastSent.get(type);
        if (last != null && Duration.between(last, now).getSeconds() < config.cooldown()) {
            return null;
        }
        lastSent.put(type, now);
        remember(alert);
        return alert;
    }

    private void remember(Alert alert) {
        recent.addLast(alert);
        if (recent.size() > RECENT_ALERTS) {
            recent.removeFirst();
        }
    }

    /**
     * Critical while an alert is active that says the service cannot do its job (errors, memory); warning while
     * another is (slow processing, throughput, anomaly rates: about the data or the pace, not a failure), or when
     * processing time or memory is above 80 % of its threshold.
     */
    public synchronized Status status() {
        if (active.containsKey(Alert.Type.HIGH_ERROR_RATE) || active.containsKey(Alert.Type.HIGH_MEMORY)) {
            return Status.CRITICAL;
        }
        if (!active.isEmpty()) {
            return Status.WARNING;
        }
        boolean slowish = batches > 0
                && recentSeconds / Math.min(batches, RECENT_BATCHES) > 0.8 * config.slowProcessing();
        return slowish || memoryMb > 0.8 * config.memoryMb() ? Status.WARNING : Status.HEALTHY;
    }

    /** How the last batch was scored: by the model, by the fallback, or not at all. */
    public synchronized DetectorState detectorState() {
        return lastState;
    }

    /** When the last batch was scored; null before the first. */
    public synchronized Instant detectorStateAt() {
        return lastStateAt;
    }

    public synchronized List<Alert> activeAlerts() {
        return List.copyOf(active.values());
    }

    /** The last alerts sent, oldest first. */
    public synchronized List<Alert> recentAlerts() {
        return List.copyOf(recent);
    }

    /** Counts since start and the rates over the current windows, for the status endpoint. */
    public synchronized Totals totals() {
        long scoredInWindow = windowPoints - windowErrors;
        return new Totals(scored, anomalies, rejected, failed, degraded,
                scoredInWindow > 0 ? (double) windowAnomalies / scoredInWindow : 0,
                windowPoints > 0 ? (double) windowErrors / windowPoints : 0,
                batches > 0 ? recentSeconds / Math.min(batches, RECENT_BATCHES) : 0,
                recentSeconds > 0 ? recentPoints / recentSeconds : 0, memoryMb);
    }

    public record Totals(long scored, long anomalies, long rejected, long failed, long degraded, double anomalyRate,
            double errorRate, double meanBatchSeconds, double pointsPerScoringSecond, double residentMemoryMb) {
    }

    /** Resident set size on Linux (what a container memory limit counts); heap and non-heap in use elsewhere. */
    static double residentMemoryMb() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096.0 / MIB;
        } catch (IOException | RuntimeException e) {
            var memory = ManagementFactory.getMemoryMXBean();
            return (double) (memory.getHeapMemoryUsage().getUsed() + memory.getNonHeapMemoryUsage().getUsed()) / MIB;
        }
    }
}
