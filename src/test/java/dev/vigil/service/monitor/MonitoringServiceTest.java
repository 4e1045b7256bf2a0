package dev.vigil.service.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.grade.Severity;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.DetectorState;
import dev.vigil.service.point.Result;
import dev.vigil.testing.AlertThresholds;
import dev.vigil.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reference MonitoringService's alerts: thresholds, windows, cooldown, clearing, status. */
class MonitoringServiceTest {
    private static final long MILLISECOND = 1_000_000;

    private final List<Alert> sent = new ArrayList<>();
    private final ManualClock clock = new ManualClock();

    private MonitoringService monitoring(AlertThresholds t) {
        return new MonitoringService(t, sent::add, clock, false);
    }

    private static List<Result> batch(int points, int anomalies, DetectorState state) {
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            boolean anomaly = i < anomalies;
            DataPoint p = new DataPoint(null, "k", null, new String[] {"x"}, new double[] {i});
            results.add(new Result(p, anomaly ? 0.95 : 0.4, Double.NaN, anomaly ? Severity.CRITICAL : Severity.LOW, anomaly,
                    "isolation_forest", state, null));
        }
        return results;
    }

    private List<Alert.Type> sentTypes() {
        return sent.stream().map(Alert::type).toList();
    }

    @Test
    void anomalyRate_aboveHighThreshold_raisedOnceTheWindowIsFull() {
        MonitoringService m = monitoring(AlertThresholds.reference());
        for (int i = 0; i < 9; i++) {
            m.scored(batch(100, 20, DetectorState.HEALTHY), MILLISECOND);
        }
        assertTrue(sent.isEmpty(), "900 points are less than the 1,000-point window");
        m.scored(batch(100, 20, DetectorState.HEALTHY), MILLISECOND);
        assertEquals(List.of(Alert.Type.HIGH_ANOMALY_RATE), sentTypes());
        assertEquals(0.2, sent.get(0).value());
        assertEquals(MonitoringService.Status.WARNING, m.status(), "about the data: the service still works");
    }

    @Test
    void anomalyRate_belowLowThreshold_raised() {
        MonitoringService m = monitoring(AlertThresholds.reference());
        for (int i = 0; i < 10; i++) {
            m.scored(batch(100, 0, DetectorState.HEALTHY), MILLISECOND);
        }
        assertEquals(List.of(Alert.Type.LOW_ANOMALY_RATE), sentTypes());
    }

    @Test
    void errorRate_rejectedAndFailedPoints_countAsErrors() {
        MonitoringService m = monitoring(AlertThresholds.reference());
        for (int i = 0; i < 10; i++) {
            m.scored(batch(94, 2, DetectorState.HEALTHY), MILLISECOND);
            m.rejected(3);
            m.scored(batch(3, 0, DetectorState.FAILED), MILLISECOND);
        }
        assertTrue(sentTypes().contains(Alert.Type.HIGH_ERROR_RATE), sentTypes().toString());
        assertEquals(30, m.totals().rejected());
        assertEquals(30, m.totals().failed());
        assertEquals(DetectorState.FAILED, m.detectorState());
    }

    @Test
    void processing_slowBatches_raiseSlowProcessingAndLowThroughput() {
        MonitoringService m = monitoring(AlertThresholds.reference());
        for (int i = 0; i < MonitoringService.RECENT_BATCHES; i++) {
            m.scored(batch(1, 0, DetectorState.HEALTHY), 200 * MILLISECOND);
        }
        assertEquals(Set.of(Alert.Type.SLOW_PROCESSING, Alert.Type.LOW_THROUGHPUT), Set.copyOf(sentTypes()));
        assertEquals(2, sent.size());
    }

    @Test
    void memory_aboveThreshold_raised() {
        MonitoringService m = monitoring(AlertThresholds.reference());
        m.memory(900);
        assertTrue(sent.isEmpty());
        assertEquals(MonitoringService.Status.WARNING, m.status(), "above 80 % of the threshold");
        m.memory(1200);
        assertEquals(List.of(Alert.Type.HIGH_MEMORY), sentTypes());
    }

    @Test
    void cooldown_sameAlertAgain_sentOnlyAfterTheCooldown() {
        MonitoringService m = monitoring(AlertThresholds.reference());
        m.memory(1200);
        clock.now = clock.now.plus(Duration.ofSeconds(299));
        m.memory(1300);
        assertEquals(1, sent.size());
        assertEquals(1300.0, m.activeAlerts().get(0).value(), "the active alert carries the latest value");
        clock.now = clock.now.plus(Duration.ofSeconds(2));
        m.memory(1300);
        assertEquals(2, sent.size());
    }

    @Test
    void activeAlert_conditionClears_noLongerActive() {
        MonitoringService m = monitoring(AlertThresholds.reference());
        m.memory(1200);
        assertEquals(1, m.activeAlerts().size());
        m.memory(100);
        assertTrue(m.activeAlerts().isEmpty());
        assertEquals(MonitoringService.Status.HEALTHY, m.status());
        assertEquals(1, m.recentAlerts().size());
    }

    @Test
    void residentMemory_isPositive() {
        assertTrue(MonitoringService.residentMemoryMb() > 1);
    }
}
