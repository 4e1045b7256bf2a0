package dev.vigil.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EntityRegistryTest {
    private static final String[] AB = {"a", "b"};

    @Test
    void keys_overTheLimit_leastRecentlyUsedEvicted() {
        EntityRegistry r = new EntityRegistry(3, Long.MAX_VALUE);
        r.schema("k1", AB);
        r.schema("k2", AB);
        r.schema("k3", AB);
        r.schema("k1", AB);
        r.schema("k4", AB);
        assertEquals(3, r.size());
        assertEquals(1, r.evictions());
        EntityRegistry.Entity k1 = r.entity("k1", r.schema("k1", AB).names());
        assertEquals("k1", k1.key(), "k1 was used recently and must survive");
    }

    @Test
    void memoryBudget_overTheBudget_evictsUntilWithin() {
        EntityRegistry r = new EntityRegistry(1000, 1000);
        for (int i = 0; i < 5; i++) {
            EntityRegistry.Entity e = r.entity("k" + i, AB);
            r.accountPipeline(e, 400);
        }
        assertTrue(r.usedBytes() <= 1000, "used " + r.usedBytes());
        assertEquals(2, r.usedBytes() / 400);
        assertEquals(3, r.evictions());
    }

    @Test
    void schema_neverReplacedByValidation_butDetectionFollowsThePointsSchema() {
        EntityRegistry r = new EntityRegistry(10, Long.MAX_VALUE);
        Schema first = r.schema("k", AB);
        assertSame(first, r.schema("k", new String[] {"b", "a"}));
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
            r.schema("k" + i, AB);
        }
        r.schema("k0", AB);
        r.shed(HeapGuard.SHED_SHARE);
        assertEquals(6, r.size());
        assertEquals(2, r.evictions());
        assertSame(r.schema("k0", AB), r.schema("k0", AB), "k0 was used last and stays");
        assertEquals(6, r.size(), "k0 was not evicted");
    }
}
