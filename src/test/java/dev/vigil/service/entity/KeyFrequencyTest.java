package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyFrequencyTest {

    @Test
    void counts_eachKeyAtLeastItsUses_upToFifteen() {
        KeyFrequency f = new KeyFrequency(1_000);
        for (int k = 0; k < 1_000; k++) {
            for (int i = 0; i < k % 10; i++) {
                f.increment("host-" + k);
            }
        }
        int exact = 0;
        for (int k = 0; k < 1_000; k++) {
            int estimate = f.of("host-" + k);
            assertTrue(estimate >= k % 10, "host-" + k + ": " + estimate + " for " + k % 10 + " uses");
            exact += estimate == k % 10 ? 1 : 0;
        }
        assertTrue(exact > 950, exact + " of 1,000 estimates exact");
        for (int i = 0; i < 40; i++) {
            f.increment("busy");
        }
        assertEquals(15, f.of("busy"));
    }

    @Test
    void halving_afterTenUsesPerKey_keysNoLongerUsedFade() {
        KeyFrequency f = new KeyFrequency(100);
        for (int i = 0; i < 12; i++) {
            f.increment("gone");
        }
        for (int i = 0; i < 10 * 100 - 12; i++) {
            f.increment("other-" + i % 50);
        }
        assertEquals(6, f.of("gone"), "halved once after 1,000 uses");
        assertEquals(2048, f.sizeInBytes(), "16 one-byte counters per key, to a power of two");
    }
}
