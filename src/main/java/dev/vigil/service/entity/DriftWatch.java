package dev.vigil.service.entity;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.detect.grade.SustainedRise;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.Alert;
import dev.vigil.service.monitor.MonitoringService;
import dev.vigil.service.monitor.VigilMetrics;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches each key's score stream for drift ({@code vigil.drift.*}): a {@link SustainedRise} per entity, fed every
 * score the model gives after the key's warm-up. When it fires, the key's normal has changed:
 * {@code vigil_drift_detected_total} counts it, a {@code drift} alert naming the key goes to the alerts sink (at
 * most once per key per {@code vigil.alerts.cooldown}). The model needs no telling: its sliding window absorbs the
 * new normal on its own (docs/models.md, "Drift"). Scores of the fallback are not watched. Built at start-up, so a
 * bad {@code vigil.drift.*} value stops the service before any source consumes.
 */
@Startup
@ApplicationScoped
public class DriftWatch {
    private static final String PREFIX = "vigil.drift.";

    private final boolean enabled;
    private final double likelihood;
    private final int points;
    private final long cooldownMillis;
    private final MonitoringService monitoring;
    private final Clock clock;
    private final AtomicLong detected = new AtomicLong();

    @Inject
    public DriftWatch(VigilConfig config, MonitoringService monitoring, VigilMetrics metrics) {
        this(config.drift(), config.alerts().cooldown(), monitoring, Clock.systemUTC());
        metrics.counted("vigil.drift.detected", "Drifts of a key's scores detected (alerted or within the cooldown)",
                detected::get);
    }

    DriftWatch(VigilConfig.Drift config, long cooldownSeconds, MonitoringService monitoring, Clock clock) {
        this.enabled = config.enabled();
        this.likelihood = config.likelihood();
        this.points = config.points();
        this.cooldownMillis = cooldownSeconds * 1000;
        this.monitoring = monitoring;
        this.clock = clock;
        if (enabled) {
            validate(likelihood, points);
        }
    }

    /** A watch that watches nothing: for services built without drift detection. */
    static DriftWatch off() {
        return new DriftWatch(new VigilConfig.Drift() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public double likelihood() {
                return SustainedRise.DEFAULT_LIKELIHOOD;
            }

            @Override
            public int points() {
                return SustainedRise.DEFAULT_POINTS;
            }
        }, 0, null, Clock.systemUTC());
    }

    /** Fails at start-up with the key at fault, e.g. {@code vigil.drift.points: must be in ...}. */
    private static void validate(double likelihood, int points) {
        try {
            new SustainedRise(likelihood, points, 1);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String name = message.substring(0, message.indexOf(' '));
            throw new InvalidConfigurationException(PREFIX + name, message.substring(name.length()).trim());
        }
    }

    /**
     * One score of {@code entity}'s model and the point's readings; call under the entity's lock. Allocates only
     * when drift is found.
     */
    void observe(EntityRegistry.Entity entity, double score, double[] values) {
        if (!enabled) {
            return;
        }
        if (entity.drift == null) {
            entity.drift = new SustainedRise(likelihood, points, values.length);
        }
        if (entity.drift.add(score, values)) {
            detected.incrementAndGet();
            long now = clock.millis();
            if (entity.driftAlertedAt == Long.MIN_VALUE || now - entity.driftAlertedAt >= cooldownMillis) {
                entity.driftAlertedAt = now;
                String message = ("Drift on key '%s': for %d points its readings have stayed outside their recent"
                        + " level and its scores above the %s likelihood of its own score history")
                        .formatted(entity.key, points, likelihood);
                monitoring.notice(new Alert(Alert.Type.DRIFT, message, points, points, Instant.ofEpochMilli(now),
                        entity.key));
            }
        }
    }

    public long detected() {
        return detected.get();
    }
}
