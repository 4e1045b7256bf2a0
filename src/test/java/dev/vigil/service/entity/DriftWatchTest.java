package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.service.checkpoint.Checkpoints;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.Alert;
import dev.vigil.service.monitor.MonitoringService;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.testdata.GaussianStream;
import dev.vigil.testing.AlertThresholds;
import dev.vigil.testing.ManualClock;
import dev.vigil.testing.ServiceParts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Drift of one key's scores raises one {@code drift} alert naming the key, per key and cooldown. */
class DriftWatchTest {
    private static final String[] NAMES = {"a", "b", "c"};

    record DriftSettings(boolean enabled, double likelihood, int points) implements VigilConfig.Drift {
        static DriftSettings defaults() {
            return new DriftSettings(true, 0.999, 30);
        }
    }

    private final List<Alert> sent = new ArrayList<>();
    private final ManualClock clock = new ManualClock();
    private final MonitoringService monitoring = new MonitoringService(AlertThresholds.reference(),
            sent::add, clock, false);

    private DetectionService detection(DriftWatch drift) {
        DetectionSettings settings = ServiceParts.settings("isolation_forest",
                Map.of("window_size", "256", "num_trees", "20"));
        Checkpoints off = new Checkpoints(settings, new VigilMetrics(new SimpleMeterRegistry()), null, 1_000_000, 3);
        return new DetectionService(settings, new EntityRegistry(100, Long.MAX_VALUE), off, drift);
    }

    /** {@code batches} batches of 50 points of each key in turn; the points of {@code shifted} moved by {@code by}. */
    private static void feed(DetectionService detection, GaussianStream[] streams, int batches, String shifted,
            double by) {
        for (int b = 0; b < batches; b++) {
            for (int k = 0; k < streams.length; k++) {
                String key = "sensor-" + k;
                List<DataPoint> points = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    double[] x = streams[k].next();
                    if (key.equals(shifted)) {
                        for (int f = 0; f < x.length; f++) {
                            x[f] += by;
                        }
                    }
                    points.add(new DataPoint(null, key, null, NAMES, x));
                }
                detection.score(PointBatch.ofPoints("test", "test", points));
            }
        }
    }

    private List<Alert> driftAlerts() {
        return sent.stream().filter(a -> a.type() == Alert.Type.DRIFT).toList();
    }

    @Test
    void observe_oneKeyShifts_oneDriftAlertNamingIt_perCooldown() {
        DriftWatch drift = new DriftWatch(DriftSettings.defaults(), 300, monitoring, clock);
        DetectionService detection = detection(drift);
        GaussianStream[] streams = {new GaussianStream(3, 1, 1), new GaussianStream(3, 1, 2)};
        feed(detection, streams, 40, null, 0);
        assertEquals(List.of(), driftAlerts(), "2,000 stationary points per key");

        feed(detection, streams, 10, "sensor-1", 6);
        List<Alert> alerts = driftAlerts();
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals("sensor-1", alerts.get(0).key());
        assertTrue(alerts.get(0).message().startsWith("Drift on key 'sensor-1'"), alerts.get(0).message());
        assertEquals(30, alerts.get(0).value(), "points in a row");
        assertEquals(1, drift.detected());
        assertTrue(monitoring.recentAlerts().contains(alerts.get(0)), "shown among the recent alerts");
        assertEquals(List.of(), monitoring.activeAlerts(), "an event, not a lasting condition");

        // Absorbed, then the same key shifts again within the cooldown: counted, not sent.
        feed(detection, streams, 20, "sensor-1", 6);
        feed(detection, streams, 10, "sensor-1", 12);
        assertEquals(2, drift.detected());
        assertEquals(1, driftAlerts().size());

        clock.now = clock.now.plus(Duration.ofSeconds(300));
        feed(detection, streams, 20, "sensor-1", 12);
        feed(detection, streams, 10, "sensor-1", 18);
        assertEquals(3, drift.detected());
        assertEquals(2, driftAlerts().size(), "the cooldown has passed");
    }

    @Test
    void observe_disabled_watchesNothing() {
        DriftWatch drift = new DriftWatch(new DriftSettings(false, 0.999, 30), 300, monitoring, clock);
        DetectionService detection = detection(drift);
        GaussianStream[] streams = {new GaussianStream(3, 1, 1)};
        feed(detection, streams, 40, null, 0);
        feed(detection, streams, 10, "sensor-0", 6);
        assertEquals(0, drift.detected());
        assertEquals(List.of(), driftAlerts());
    }

    @Test
    void settings_badValue_stopsStartNamingTheKey() {
        InvalidConfigurationException likelihood = assertThrows(InvalidConfigurationException.class,
                () -> new DriftWatch(new DriftSettings(true, 1.5, 30), 300, monitoring, clock));
        assertEquals("vigil.drift.likelihood", likelihood.key());
        InvalidConfigurationException points = assertThrows(InvalidConfigurationException.class,
                () -> new DriftWatch(new DriftSettings(true, 0.999, 0), 300, monitoring, clock));
        assertEquals("vigil.drift.points", points.key());
        assertTrue(points.getMessage().startsWith("vigil.drift.points: must be in [1, "), points.getMessage());
    }
}
