package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.Result;
import dev.vigil.testing.ServiceParts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one checkpoint folder (the shared volume) pass a key back and forth, as partitions move at
 * rebalances: each releases it with a checkpoint, the other restores it on its next point, and the scores are
 * exactly those of one uninterrupted instance.
 */
class KeyHandOverTest {
    private static final String[] NAMES = {"cpu", "mem"};

    @TempDir
    Path shared;

    @TempDir
    Path alone;

    private static PointBatch batch(int from, int to) {
        List<DataPoint> points = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Random random = new Random(7L + i);
            points.add(new DataPoint("p" + i, "k", null, NAMES,
                    new double[] {50 + random.nextGaussian(), 70 + random.nextGaussian()}));
        }
        return PointBatch.ofPoints("test", "test", points);
    }

    private static double[] scores(ServiceParts.Service s, int from, int to) {
        return s.detection().score(batch(from, to)).stream().mapToDouble(Result::score).toArray();
    }

    @Test
    void release_keyPassedBetweenTwoInstances_scoresAsOneUninterruptedInstance() throws Exception {
        DetectionSettings settings = ServiceParts.settings("isolation_forest", Map.of());
        ServiceParts.Service reference = ServiceParts.Service.start(settings, alone, 100, 10_000);
        ServiceParts.Service a = ServiceParts.Service.start(settings, shared, 100, 10_000);
        Thread.sleep(5); // b's own sequence starts later than a's: a's later files must still sort after b's
        ServiceParts.Service b = ServiceParts.Service.start(settings, shared, 100, 10_000);
        List<ServiceParts.Service> owners = List.of(a, b, a, b);
        for (int round = 0; round < owners.size(); round++) {
            ServiceParts.Service owner = owners.get(round);
            int from = round * 300;
            assertArrayEquals(scores(reference, from, from + 300), scores(owner, from, from + 300),
                    "round " + round + ": the owner restored the previous owner's state");
            assertEquals(1, owner.registry().release(List.of("k"), true));
            assertEquals(0, owner.registry().size(), "released keys leave memory");
        }
        assertEquals(3, b.checkpoints().restored() + a.checkpoints().restored(), "restored at every hand-over");
    }

    @Test
    void release_withoutCheckpoint_leavesTheFolderAsItWas() {
        DetectionSettings settings = ServiceParts.settings("isolation_forest", Map.of());
        ServiceParts.Service a = ServiceParts.Service.start(settings, shared, 100, 10_000);
        scores(a, 0, 50);
        assertEquals(1, a.registry().release(List.of("k", "unknown"), false));
        assertEquals(0, a.checkpoints().written(), "lost partitions: the new owner's state must not be overwritten");
        assertEquals(0, a.registry().size());
    }
}
