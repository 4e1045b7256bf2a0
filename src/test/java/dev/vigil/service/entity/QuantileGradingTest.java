package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.Severity;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.service.checkpoint.Checkpoints;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.Result;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil.thresholds.mode=quantile} through the service layer: severities read as rates of the key's own
 * scores (about 1 % of normal points at least medium with the default rarities), a far outlier is critical, and
 * the fallback's results, which have no rank, are graded on their score.
 */
class QuantileGradingTest {
    private static final String[] NAMES = {"cpu", "mem"};

    @TempDir
    Path dir;

    private DetectionService service(Grading.Mode mode) {
        PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), "zscore", Map.of(), List.of(), Map.of());
        DetectionSettings settings = new DetectionSettings(spec, spec,
                new Grading(mode, Thresholds.DEFAULT, Grading.DEFAULT_RARITIES), 10_000);
        VigilMetrics metrics = new VigilMetrics(new SimpleMeterRegistry());
        Checkpoints checkpoints = new Checkpoints(settings, metrics, dir, 1_000_000, 3);
        return new DetectionService(settings, new EntityRegistry(10, Long.MAX_VALUE, checkpoints), checkpoints);
    }

    private static PointBatch batch(Random random, int from, int n, double spread) {
        List<DataPoint> points = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            points.add(new DataPoint("p" + i, "host-1", null, NAMES,
                    new double[] {50 + spread * random.nextGaussian(), 70 + spread * random.nextGaussian()}));
        }
        return PointBatch.ofPoints("test", "test", points);
    }

    @Test
    void quantile_normalStream_flagsAboutOnePercent_farOutlierCritical() {
        DetectionService detection = service(Grading.Mode.QUANTILE);
        Random random = new Random(11);
        detection.score(batch(random, 0, 10_000, 1));
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        int n = 20_000;
        for (Result r : detection.score(batch(random, 10_000, n, 1))) {
            assertTrue(r.rarity() >= 0 && r.rarity() < 1, "rarity " + r.rarity());
            counts.merge(r.severity(), 1, Integer::sum);
        }
        double flagged = (n - counts.getOrDefault(Severity.LOW, 0)) / (double) n;
        System.out.printf("quantile mode, normal points at least medium: %.3f %% (%s)%n", 100 * flagged, counts);
        assertTrue(flagged > 0.005 && flagged < 0.02, "about 1 % at least medium: " + flagged);

        // At least 10,000 recent scores: enough to call a point rarer than 1 in 10,000.
        Result outlier = detection.score(batch(random, 0, 1, 60)).get(0);
        assertEquals(Severity.CRITICAL, outlier.severity(), "rarity " + outlier.rarity());
        assertTrue(outlier.anomaly());
    }

    @Test
    void restart_ranksRestoredFromTheCheckpoint_raritiesEqualAnUninterruptedRun() {
        List<PointBatch> first = List.of(batch(new Random(13), 0, 3000, 1));
        List<PointBatch> second = List.of(batch(new Random(14), 3000, 500, 1.5));

        Service uninterrupted = Service.start(dir.resolve("a"));
        uninterrupted.detection().score(first.get(0));
        List<Result> expected = uninterrupted.detection().score(second.get(0));

        Service before = Service.start(dir.resolve("b"));
        before.detection().score(first.get(0));
        before.registry().checkpointAll();
        Service after = Service.start(dir.resolve("b"));
        List<Result> actual = after.detection().score(second.get(0));

        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).rarity(), actual.get(i).rarity(), "rarity of point " + i);
            assertEquals(expected.get(i).severity(), actual.get(i).severity(), "severity of point " + i);
        }
        assertTrue(actual.stream().anyMatch(r -> r.severity() != Severity.LOW), "the stream reaches medium or above");
    }

    /** The service layer over one checkpoint folder, in quantile mode with a small rank window. */
    private record Service(EntityRegistry registry, DetectionService detection) {
        static Service start(Path dir) {
            PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), "zscore", Map.of(), List.of(),
                    Map.of());
            DetectionSettings settings = new DetectionSettings(spec, spec,
                    new Grading(Grading.Mode.QUANTILE, Thresholds.DEFAULT, Grading.DEFAULT_RARITIES), 1000);
            Checkpoints checkpoints = new Checkpoints(settings, new VigilMetrics(new SimpleMeterRegistry()), dir,
                    1_000_000, 3);
            EntityRegistry registry = new EntityRegistry(10, Long.MAX_VALUE, checkpoints);
            registry.restoreAtStart();
            return new Service(registry, new DetectionService(settings, registry, checkpoints));
        }
    }

    @Test
    void fallback_hasNoRarity_gradedOnItsScore() {
        DetectionService detection = service(Grading.Mode.QUANTILE);
        Random random = new Random(12);
        detection.score(batch(random, 0, 500, 1));
        for (Result r : detection.fallback(batch(random, 500, 50, 1), "test")) {
            assertTrue(Double.isNaN(r.rarity()));
            assertEquals(Thresholds.DEFAULT.severity(r.score()), r.severity());
        }
    }
}
