package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.entity.EntityRegistry.Entity;
import dev.vigil.service.point.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The eviction policy's regions as seen from outside: what stays, what goes, and in which order. */
class ResidentEntitiesTest {
    private static final Schema A = new Schema(new String[] {"a"});

    private static Entity entity(String key) {
        return new Entity(key, A);
    }

    private static List<String> keys(ResidentEntities r) {
        return r.entities().stream().map(e -> e.key).toList();
    }

    @Test
    void fewKeys_evictedLeastRecentlyUsedFirst() {
        ResidentEntities r = new ResidentEntities(100);
        for (int i = 0; i < 5; i++) {
            r.add(entity("k" + i));
        }
        assertEquals("k2", r.get("k2").key);
        assertEquals("k0", r.evict().key);
        assertEquals("k1", r.evict().key);
        assertEquals("k3", r.evict().key);
        assertEquals(List.of("k4", "k2"), keys(r));
        assertNull(r.get("k0"));
        assertFalse(r.contains("k0"));
    }

    @Test
    void removedKey_isGoneFromEveryRegion() {
        ResidentEntities r = new ResidentEntities(1000);
        for (int i = 0; i < 100; i++) {
            r.add(entity("k" + i));
        }
        r.get("k3"); // from probation to kept
        for (String key : List.of("k3", "k10", "k99")) { // kept, probation, window
            assertEquals(key, r.remove(key).key);
            assertFalse(r.contains(key));
            assertNull(r.remove(key));
        }
        assertEquals(97, r.size());
        assertEquals(97, new HashSet<>(keys(r)).size());
        for (int i = 0; i < 97; i++) {
            r.evict();
        }
        assertEquals(0, r.size());
        assertEquals(List.of(), keys(r));
    }

    /** Keys in turn, more than fit: most stay for good, a few take turns; without the frequencies all would. */
    @Test
    void keysInTurn_beyondTheLimit_mostStayForGood() {
        int limit = 200;
        ResidentEntities r = new ResidentEntities(limit);
        int evictions = 0;
        Set<String> evicted = new HashSet<>();
        for (int round = 0; round < 30; round++) {
            for (int i = 0; i < 250; i++) {
                String key = "k" + i;
                if (r.get(key) == null) {
                    r.add(entity(key));
                    if (r.size() > limit) {
                        String gone = r.evict().key;
                        if (round >= 10) {
                            evictions++;
                            evicted.add(gone);
                        }
                    }
                }
                assertTrue(r.size() <= limit);
            }
        }
        // Least recently used alone would evict every key at every use: 250 a round.
        assertTrue(evictions / 20 < 100, evictions / 20 + " evictions a round");
        assertTrue(evicted.size() < 150, evicted.size() + " keys ever evicted after warm-up");
    }

    /** A key used often survives a burst of one-off keys larger than the whole budget. */
    @Test
    void burstOfOneOffKeys_passesWithoutEvictingKeysInUse() {
        ResidentEntities r = new ResidentEntities(100);
        List<String> steady = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            steady.add("s" + i);
            r.add(entity("s" + i));
        }
        for (int use = 0; use < 5; use++) {
            steady.forEach(r::get);
        }
        for (int i = 0; i < 500; i++) {
            r.add(entity("burst" + i));
            if (r.size() > 100) {
                r.evict();
            }
        }
        for (String key : steady) {
            assertTrue(r.contains(key), key + " was evicted by one-off keys");
        }
    }
}
