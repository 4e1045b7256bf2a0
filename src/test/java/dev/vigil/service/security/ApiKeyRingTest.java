package dev.vigil.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.testing.TestApiKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The key ring: both ways of configuring a key, refusals that never echo a key, and a look-up with no early exit. */
class ApiKeyRingTest {

    private static ApiKeyRing ring(List<String> hashes, List<String> plain) {
        return new ApiKeyRing(true, hashes, plain);
    }

    @Test
    void clientOf_hashedAndPlainKeys_nameTheirClient() {
        ApiKeyRing ring = ring(List.of("reporting:" + TestApiKeys.sha256Hex("r-key"),
                "ops:" + TestApiKeys.sha256Hex("o-key").toUpperCase()), List.of("batch:b-key", "ops:o-key-next"));
        assertEquals(Optional.of("reporting"), ring.clientOf("r-key"));
        assertEquals(Optional.of("ops"), ring.clientOf("o-key"));
        assertEquals(Optional.of("batch"), ring.clientOf("b-key"));
        // A client may hold two keys while one is rotated.
        assertEquals(Optional.of("ops"), ring.clientOf("o-key-next"));
        assertEquals(4, ring.size());
    }

    @Test
    void clientOf_unknownEmptyOrNearMiss_isEmpty() {
        ApiKeyRing ring = ring(List.of(), List.of("batch:b-key"));
        assertFalse(ring.clientOf("b-ke").isPresent());
        assertFalse(ring.clientOf("b-key ").isPresent());
        assertFalse(ring.clientOf("B-KEY").isPresent());
        assertFalse(ring.clientOf("").isPresent());
        assertFalse(ring.clientOf(null).isPresent());
        assertFalse(ring(List.of(), List.of()).clientOf("anything").isPresent());
    }

    @Test
    void plainKey_isHashedLikeSha256sum() {
        // The same key configured either way is the same entry: sharing it between clients is refused.
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ring(List.of("a:" + TestApiKeys.sha256Hex("same")), List.of("b:same")));
        assertTrue(e.getMessage().contains("'a' and 'b' have the same key"), e.getMessage());
    }

    @Test
    void badEntries_refusedAtStart_withoutEchoingTheKey() {
        InvalidConfigurationException noClient = assertThrows(InvalidConfigurationException.class,
                () -> ring(List.of(), List.of("ok:k1", "s3cr3t-without-client")));
        assertEquals("vigil.security.api-keys[1]", noClient.key());
        assertFalse(noClient.getMessage().contains("s3cr3t"), noClient.getMessage());
        InvalidConfigurationException emptyKey = assertThrows(InvalidConfigurationException.class,
                () -> ring(List.of(), List.of("client:")));
        assertEquals("vigil.security.api-keys[0]", emptyKey.key());
        InvalidConfigurationException shortHash = assertThrows(InvalidConfigurationException.class,
                () -> ring(List.of("client:abc123"), List.of()));
        assertEquals("vigil.security.api-key-hashes[0]", shortHash.key());
        assertThrows(InvalidConfigurationException.class, () -> ring(List.of(), List.of("bad name:k")));
        assertThrows(InvalidConfigurationException.class, () -> ring(List.of(), List.of("<script>:k")));
    }

    /**
     * The look-up compares the presented key's hash with every configured hash and never stops early. With
     * 2,000 keys, a loop that stopped at the first match would answer for the first key about 2,000 times
     * faster than for an unknown one; here the two take about the same time. The margin (a factor of 3) is
     * far wider than timing noise and far narrower than what an early exit would show.
     */
    @Test
    void clientOf_takesTheSameTime_forFirstKeyLastKeyAndUnknownKey() {
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            plain.add("client-" + i + ":key-" + i);
        }
        ApiKeyRing ring = ring(List.of(), plain);
        String[] keys = {"key-0", "key-1999", "no-such-key"};
        for (int warmUp = 0; warmUp < 300; warmUp++) {
            for (String k : keys) {
                ring.clientOf(k);
            }
        }
        long[] first = new long[101];
        long[] last = new long[101];
        long[] unknown = new long[101];
        for (int round = 0; round < first.length; round++) {
            first[round] = time(ring, keys[0]);
            last[round] = time(ring, keys[1]);
            unknown[round] = time(ring, keys[2]);
        }
        double f = median(first);
        double l = median(last);
        double u = median(unknown);
        String times = String.format("median ns per 20 look-ups: first %.0f, last %.0f, unknown %.0f", f, l, u);
        // An early exit would make the first key about 2,000 times faster than an unknown one; a factor 5 leaves
        // room for a loaded machine's noise.
        assertTrue(f > u / 5 && f < u * 5, times);
        assertTrue(l > u / 5 && l < u * 5, times);
        assertEquals(Optional.of("client-0"), ring.clientOf(keys[0]));
    }

    private static long time(ApiKeyRing ring, String key) {
        long start = System.nanoTime();
        int found = 0;
        for (int i = 0; i < 20; i++) {
            found += ring.clientOf(key).isPresent() ? 1 : 0;
        }
        long took = System.nanoTime() - start;
        return took + (found > 20 ? 1 : 0);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
