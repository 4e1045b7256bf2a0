package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.Rng;
import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.Severity;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.service.checkpoint.Checkpoints;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.DetectorState;
import dev.vigil.service.point.Explanation;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.Result;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert text of an explanation, and which results of the service carry one. */
class ExplanationTest {
    private static final String[] NAMES = {"temperature", "pressure", "humidity", "vibration"};

    @TempDir
    Path dir;

    @Test
    void of_shares_topThreeLargestAsPercentages() {
        Explanation e = Explanation.of(NAMES, new double[] {0.2, 0.06, 0.71, 0.03});
        assertEquals("humidity 71%, temperature 20%, pressure 6%", e.text());
    }

    @Test
    void of_equalShares_earlierFeatureFirst() {
        assertEquals("a 50%, b 50%", Explanation.of(new String[] {"a", "b"}, new double[] {0.5, 0.5}).text());
    }

    private DetectionService service(String model, List<String> preprocessing, Severity explainFrom) {
        PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), model, Map.of(), preprocessing,
                Map.of());
        PipelineSpec fallback = PipelineSpec.parse(PipelineSpec.Keys.under("vigil.fallback."), "zscore", Map.of(),
                List.of(), Map.of());
        DetectionSettings settings = new DetectionSettings(spec, fallback,
                new Grading(Grading.Mode.FIXED, Thresholds.DEFAULT, Grading.DEFAULT_RARITIES), 20_000, explainFrom);
        Checkpoints checkpoints = new Checkpoints(settings, new VigilMetrics(new SimpleMeterRegistry()), dir,
                1_000_000, 1);
        return new DetectionService(settings, new EntityRegistry(10, Long.MAX_VALUE, checkpoints), checkpoints);
    }

    /**
     * 400 readings, every 25th from the 100th on with pressure 3 to 7 standard deviations off (some medium or high),
     * then one whose humidity alone is far off (critical).
     */
    private static PointBatch readings() {
        Rng rng = new Rng(8);
        List<DataPoint> points = new ArrayList<>();
        for (int i = 0; i <= 400; i++) {
            double[] v = {20 + rng.nextGaussian(), 1000 + 5 * rng.nextGaussian(), 50 + 3 * rng.nextGaussian(),
                0.3 + 0.05 * rng.nextGaussian()};
            if (i >= 100 && i % 25 == 0) {
                int k = i / 25 - 4;
                v[1] += (k % 2 == 0 ? 5 : -5) * (3 + 0.4 * k);
            }
            if (i == 400) {
                v[2] += 40;
            }
            points.add(new DataPoint("r" + i, "sensor", null, NAMES, v));
        }
        return PointBatch.ofPoints("test", "test", points);
    }

    @Test
    void score_fromMedium_explainsMediumAndAboveOnly() {
        List<Result> results = service("knn", List.of("scaler"), Severity.MEDIUM).score(readings());
        int pressureFirst = 0;
        for (int i = 0; i < 400; i++) {
            Result r = results.get(i);
            boolean explained = r.severity().compareTo(Severity.MEDIUM) >= 0;
            assertEquals(explained, r.explanation() != null, r.point().id() + " " + r.severity());
            if (explained && i >= 100 && i % 25 == 0) {
                assertTrue(r.explanation().text().startsWith("pressure "), r.explanation().text());
                pressureFirst++;
            }
        }
        assertTrue(pressureFirst > 0, "no shifted pressure reading reached medium");
        Result outlier = results.get(400);
        assertEquals(Severity.CRITICAL, outlier.severity());
        assertTrue(outlier.explanation().text().startsWith("humidity "), outlier.explanation().text());
        assertEquals(4, outlier.explanation().shares().length);
    }

    @Test
    void score_fromCritical_onlyCriticalExplained() {
        List<Result> results = service("knn", List.of("scaler"), Severity.CRITICAL).score(readings());
        for (Result r : results) {
            assertEquals(r.severity() == Severity.CRITICAL, r.explanation() != null, r.point().id());
        }
        assertNotNull(results.get(400).explanation());
        assertTrue(results.stream().anyMatch(r -> r.severity() == Severity.MEDIUM || r.severity() == Severity.HIGH),
                "no result between the two thresholds: the test would prove nothing");
    }

    @Test
    void fallback_zscore_explainsToo() {
        List<Result> results = service("knn", List.of("scaler"), Severity.MEDIUM).fallback(readings(), "timeout");
        Result outlier = results.get(400);
        assertEquals(DetectorState.DEGRADED, outlier.state());
        assertTrue(outlier.explanation().text().startsWith("humidity "), outlier.explanation().text());
        assertNull(results.get(0).explanation());
    }
}
