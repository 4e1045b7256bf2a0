package dev.vigil.testing;

import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.Severity;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.detect.pipeline.Preset;
import dev.vigil.service.checkpoint.Checkpoints;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.entity.DetectionService;
import dev.vigil.service.entity.EntityRegistry;
import dev.vigil.service.entity.PartitionOwnership;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** The service layer built without CDI, as one process would hold it, for tests that drive it directly. */
public final class ServiceParts {
    private static final String[] NAMES = {"cpu", "mem", "io"};
    /** The keys of {@link #stream}. */
    public static final String[] KEYS = {"sensor-1", "sensor-2", "host/with odd:chars"};

    private ServiceParts() {
    }

    public static PartitionOwnership partitionOwnership() {
        return new PartitionOwnership(1000);
    }

    /** A registry without checkpoints. */
    public static EntityRegistry entityRegistry() {
        return new EntityRegistry(1000, Long.MAX_VALUE);
    }

    /** The service layer over one checkpoint folder, as one process would hold it. */
    public record Service(EntityRegistry registry, Checkpoints checkpoints, DetectionService detection) {
        public static Service start(DetectionSettings settings, Path dir, int maxKeys, long interval) {
            VigilMetrics metrics = new VigilMetrics(new SimpleMeterRegistry());
            Checkpoints checkpoints = new Checkpoints(settings, metrics, dir, interval, 3);
            EntityRegistry registry = new EntityRegistry(maxKeys, Long.MAX_VALUE, checkpoints);
            registry.restoreAtStart();
            return new Service(registry, checkpoints, new DetectionService(settings, registry, checkpoints));
        }

        public double[] score(List<PointBatch> batches) {
            List<Double> scores = new ArrayList<>();
            for (PointBatch b : batches) {
                detection.score(b).forEach(r -> scores.add(r.score()));
            }
            return scores.stream().mapToDouble(Double::doubleValue).toArray();
        }

        public void stop() {
            registry.checkpointAll();
        }
    }

    /** {@code model} with its recommended transforms, fixed grading, its own warm-up. */
    public static DetectionSettings settings(String model, Map<String, String> params) {
        return settings(model, params, Arrays.stream(ModelType.values()).filter(t -> t.configName().equals(model))
                .findFirst().orElseThrow().recommendedPreprocessing());
    }

    /** What {@code vigil.model.type=model} gives with nothing else set: no transforms, fixed grading. */
    public static DetectionSettings defaults(String model) {
        return settings(model, Map.of(), List.of());
    }

    private static DetectionSettings settings(String model, Map<String, String> params, List<String> transforms) {
        PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), model, params, transforms, Map.of());
        PipelineSpec fallback = PipelineSpec.parse(PipelineSpec.Keys.under("vigil.fallback."), "zscore", Map.of(),
                List.of(), Map.of());
        return new DetectionSettings(spec, fallback, new Grading(Grading.Mode.FIXED, Thresholds.DEFAULT,
                Grading.DEFAULT_RARITIES), 20_000);
    }

    /** What {@code vigil.preset} gives when nothing else is set: its pipeline, grading, warm-up and event gap. */
    public static DetectionSettings settings(Preset preset) {
        PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), preset.model(), Map.of(),
                preset.preprocessing(), preset.transformParams());
        PipelineSpec fallback = PipelineSpec.parse(PipelineSpec.Keys.under("vigil.fallback."), "zscore", Map.of(),
                List.of(), Map.of());
        return new DetectionSettings(spec, fallback, new Grading(preset.mode(), Thresholds.DEFAULT,
                Grading.DEFAULT_RARITIES), 20_000, Severity.MEDIUM, preset.warmup(), preset.eventGap(), true);
    }

    public static Stream<String> models() {
        return Arrays.stream(ModelType.values()).map(ModelType::configName);
    }

    /** Batches of 25 points, keys interleaved, with an outlier now and then. */
    public static List<PointBatch> stream(int batches, long seed) {
        Random random = new Random(seed);
        List<PointBatch> result = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            String key = KEYS[b % KEYS.length];
            List<DataPoint> points = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                double scale = random.nextInt(50) == 0 ? 8 : 1;
                double[] v = {50 + scale * random.nextGaussian(), 70 + scale * random.nextGaussian(),
                    5 + scale * random.nextGaussian()};
                points.add(new DataPoint("p" + b + "-" + i, key, null, NAMES, v));
            }
            result.add(PointBatch.ofPoints("test", "test", points));
        }
        return result;
    }
}
