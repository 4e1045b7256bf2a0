package dev.vigil.service.entity;

import dev.vigil.service.checkpoint.Checkpoints;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.testing.ServiceParts;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Run by {@link ManyKeysMemoryTest} in a JVM of its own with a small heap: streams points of many distinct keys
 * through the service layer with the default memory budget (a quarter of the heap) and prints what happened as
 * {@code key=value} lines. A main, not a test, because the heap limit is the point.
 */
public final class ManyKeysMain {
    private ManyKeysMain() {
    }

    public static void main(String[] args) {
        int keys = Integer.parseInt(args[0]);
        int pointsPerKey = Integer.parseInt(args[1]);
        Path checkpoints = Path.of(args[2]);
        // A small forest per key (many sparse keys), so that 50,000 of them take seconds, not minutes.
        DetectionSettings settings = ServiceParts.settings("isolation_forest",
                Map.of("num_trees", "20", "window_size", "256", "sample_size", "64"));
        VigilMetrics metrics = new VigilMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        Checkpoints store = new Checkpoints(settings, metrics, checkpoints, 10_000, 3);
        EntityRegistry registry = new EntityRegistry(10_000, Runtime.getRuntime().maxMemory() / 4, store);
        DetectionService detection = new DetectionService(settings, registry, store);
        String[] names = {"a", "b", "c", "d"};
        Random random = new Random(1);
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        for (int k = 0; k < keys; k++) {
            List<DataPoint> points = new ArrayList<>(pointsPerKey);
            for (int i = 0; i < pointsPerKey; i++) {
                points.add(new DataPoint(null, "key-" + k, null, names, new double[] {random.nextGaussian(),
                    random.nextGaussian(), random.nextGaussian(), random.nextGaussian()}));
            }
            detection.score(PointBatch.ofPoints("test", "test", points));
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        long heapAfter = usedHeapAfterGc();
        registry.checkpointAll();
        System.out.println("keys=" + keys);
        System.out.println("seconds=" + seconds);
        System.out.println("live=" + registry.size());
        System.out.println("evictions=" + registry.evictions());
        System.out.println("estimateBytes=" + registry.usedBytes());
        System.out.println("budgetBytes=" + registry.budgetBytes());
        System.out.println("heapDeltaBytes=" + (heapAfter - heapBefore));
        System.out.println("maxHeapBytes=" + Runtime.getRuntime().maxMemory());
        System.out.println("checkpointsWritten=" + store.written());
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
