package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.checkpoint.Checkpoints;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.Schema;
import dev.vigil.testing.ServiceParts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntityRegistryTest {
    private static final String[] AB = {"a", "b"};

    @TempDir
    Path dir;

    @Test
    void keys_overTheLimit_leastRecentlyUsedEvicted() {
        EntityRegistry r = new EntityRegistry(3, Long.MAX_VALUE);
        r.of("k1", AB);
        r.of("k2", AB);
        r.of("k3", AB);
        r.of("k1", AB);
        r.of("k4", AB);
        assertEquals(3, r.size());
        assertEquals(1, r.evictions());
        EntityRegistry.Entity k1 = r.entity("k1", r.of("k1", AB).names());
        assertEquals("k1", k1.key(), "k1 was used recently and must survive");
    }

    /**
     * More keys in turn than the limit holds, as metric streams send them, each batch validated (the key's schema)
     * and then scored: least recently used alone would evict (and later restore) a key at every use, since the
     * eldest key is always the next to come back. Here most keys stay in memory and only the others take turns.
     */
    @Test
    void keysInTurn_moreThanTheLimit_mostStayInMemory() {
        EntityRegistry r = new EntityRegistry(100, Long.MAX_VALUE);
        for (int i = 0; i < 120; i++) {
            r.of("k" + i, AB);
        }
        long before = r.evictions();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 120; i++) {
                r.of("k" + i, AB);
            }
            for (int i = 0; i < 120; i++) {
                r.entity("k" + i, AB);
            }
        }
        long perRound = (r.evictions() - before) / 20;
        // Least recently used alone: 240 (every key, twice). Here the 20 keys beyond the limit and the window's 16,
        // whose turn comes before they are used again, twice, plus a few where the frequency estimates err.
        assertTrue(perRound <= 80, perRound + " evictions a round of 120 keys");
        assertEquals(100, r.size());
    }

    /** A burst of keys used once, more than the limit holds, passes without evicting the keys in steady use. */
    @Test
    void oneOffKeys_burstBeyondTheLimit_keysInSteadyUseStay() {
        EntityRegistry r = new EntityRegistry(100, Long.MAX_VALUE);
        for (int round = 0; round < 8; round++) {
            for (int i = 0; i < 60; i++) {
                r.of("steady-" + i, AB);
            }
        }
        for (int i = 0; i < 500; i++) {
            r.of("once-" + i, AB);
        }
        long before = r.evictions();
        for (int i = 0; i < 60; i++) {
            r.of("steady-" + i, AB);
        }
        assertEquals(before, r.evictions(), "every steady key was still in memory");
    }

    @Test
    void memoryBudget_overTheBudget_evictsUntilWithin() {
        EntityRegistry r = new EntityRegistry(1000, 1000);
        for (int i = 0; i < 5; i++) {
            EntityRegistry.Entity e = r.entity("k" + i, AB);
            r.pipelineResized(e, 400);
        }
        assertTrue(r.usedBytes() <= 1000, "used " + r.usedBytes());
        assertEquals(2, r.usedBytes() / 400);
        assertEquals(3, r.evictions());
    }

    @Test
    void schema_neverReplacedByValidation_butDetectionFollowsThePointsSchema() {
        EntityRegistry r = new EntityRegistry(10, Long.MAX_VALUE);
        Schema first = r.of("k", AB);
        assertSame(first, r.of("k", new String[] {"b", "a"}));
        EntityRegistry.Entity e = r.entity("k", first.names());
        assertSame(first, e.schema());
        EntityRegistry.Entity other = r.entity("k", new String[] {"x"});
        assertNotSame(e, other);
        assertArrayEquals(new String[] {"x"}, other.schema().names());
    }

    @Test
    void shed_memoryPressure_evictsTheLeastRecentlyUsedQuarter() {
        EntityRegistry r = new EntityRegistry(100, Long.MAX_VALUE);
        for (int i = 0; i < 8; i++) {
            r.of("k" + i, AB);
        }
        r.of("k0", AB);
        r.shed(HeapGuard.SHED_SHARE);
        assertEquals(6, r.size());
        assertEquals(2, r.evictions());
        assertSame(r.of("k0", AB), r.of("k0", AB), "k0 was used last and stays");
        assertEquals(6, r.size(), "k0 was not evicted");
    }

    /**
     * Validating a point of a key that has only a checkpoint reads the key's schema from it without restoring its
     * models: restoring it there and again when the point is scored cost a second eviction and restore per point
     * whenever the keys outnumbered the memory.
     */
    @Test
    void schema_ofAKeyOnlyCheckpointed_readWithoutRestoringIt() {
        DetectionSettings settings = ServiceParts.settings("isolation_forest", Map.of());
        Checkpoints checkpoints = new Checkpoints(settings, new VigilMetrics(new SimpleMeterRegistry()), dir,
                1_000_000, 3);
        EntityRegistry r = new EntityRegistry(1, Long.MAX_VALUE, checkpoints);
        DetectionService detection = new DetectionService(settings, r, checkpoints);
        List<PointBatch> batches = ServiceParts.stream(2, 3); // two keys: the second evicts the first
        batches.forEach(detection::score);
        String first = batches.get(0).points().get(0).key();
        String[] names = batches.get(0).points().get(0).names();
        long evictions = r.evictions();
        long restored = checkpoints.restored();

        Schema schema = r.of(first, new String[] {"other"});
        assertArrayEquals(names, schema.names(), "the checkpoint's schema, not the point's");
        assertEquals(evictions, r.evictions(), "nothing evicted to make room");
        assertEquals(restored, checkpoints.restored(), "nothing restored");

        detection.score(batches.get(0));
        assertEquals(restored + 1, checkpoints.restored(), "scoring the key restores it");
        r.checkpointAll();
    }

    /**
     * Pipelines grow as they learn (windows and trees): the budget follows them, so keys that fitted when new are
     * evicted once they have grown, and what the registry counts is what the live pipelines report.
     */
    @Test
    void memoryBudget_pipelinesGrowAsTheyLearn_budgetFollowsThem() {
        DetectionSettings settings = ServiceParts.settings("isolation_forest", Map.of());
        Checkpoints checkpoints = new Checkpoints(settings, new VigilMetrics(new SimpleMeterRegistry()), dir,
                1_000_000, 3);
        // Room for 20 new forests (18 KB each), but not for 3 grown ones (about 165 KB each with 3 features).
        EntityRegistry r = new EntityRegistry(100, 400_000, checkpoints);
        DetectionService detection = new DetectionService(settings, r, checkpoints);
        List<PointBatch> batches = ServiceParts.stream(3, 1);
        batches.forEach(detection::score);
        assertEquals(3, r.size(), "three new keys fit");
        assertEquals(0, r.evictions());
        long early = r.usedBytes();

        batches = ServiceParts.stream(240, 2); // 2,000 points per key: every window full
        batches.forEach(detection::score);
        assertTrue(r.evictions() > 0, "grown keys no longer fit: " + early + " then " + r.usedBytes());
        assertTrue(r.usedBytes() <= 400_000, "within the budget: " + r.usedBytes());
        assertTrue(r.usedBytes() > 3 * early, "counts the growth: " + early + " then " + r.usedBytes());
        long live = 0;
        for (PointBatch b : batches.subList(batches.size() - r.size(), batches.size())) {
            EntityRegistry.Entity e = r.entity(b.points().get(0).key(), b.points().get(0).names());
            live += e.pipeline.sizeInBytes() + e.grading.sizeInBytes();
        }
        assertEquals(live, r.usedBytes(), "the sum of the live pipelines' and score ranks' own estimates");
        r.checkpointAll(); // waits for the background writer, which may still be writing when the folder is deleted
    }
}
