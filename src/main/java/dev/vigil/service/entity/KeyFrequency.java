package dev.vigil.service.entity;

/**
 * How often each key was used lately, approximately and in bounded memory: a count-min sketch of counters up to 15
 * (four per key, the smallest is the estimate), halved every {@code 10 × capacity} uses so that keys no longer
 * used fade (the frequency sketch of Caffeine's W-TinyLFU). Deterministic: a key's counters depend on its
 * {@code hashCode} only. Not thread-safe: its owner guards it.
 */
final class KeyFrequency {
    private static final int MAX = 15;
    private final byte[] counters;
    private final int mask;
    private final int resetAfter;
    private int uses;

    /**
     * For about {@code capacity} keys in memory at a time: 16 one-byte counters per key (at most 4 MiB), so that the
     * keys passing through beyond the capacity, each counted on four of them, seldom inflate another key's estimate.
     */
    KeyFrequency(int capacity) {
        int wanted = (int) Math.max(64, Math.min(1L << 22, 16L * capacity));
        int size = Integer.highestOneBit(wanted - 1) << 1;
        this.counters = new byte[size];
        this.mask = size - 1;
        this.resetAfter = (int) Math.min(Integer.MAX_VALUE, 10L * Math.max(16, capacity));
    }

    void increment(String key) {
        int h = key.hashCode();
        for (int i = 0; i < 4; i++) {
            int at = index(h, i);
            if (counters[at] < MAX) {
                counters[at]++;
            }
        }
        if (++uses >= resetAfter) {
            halve();
        }
    }

    /** The estimate: at least the key's uses since the last halving, at most {@value #MAX}. */
    int of(String key) {
        int h = key.hashCode();
        int min = MAX;
        for (int i = 0; i < 4; i++) {
            min = Math.min(min, counters[index(h, i)]);
        }
        return min;
    }

    int sizeInBytes() {
        return counters.length;
    }

    private void halve() {
        for (int i = 0; i < counters.length; i++) {
            counters[i] = (byte) (counters[i] >> 1);
        }
        uses /= 2;
    }

    /** Counter {@code i} of a key: a splitmix64 finalizer of its hash, a different stream for each of the four. */
    private int index(int h, int i) {
        long z = h + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 31)) & mask;
    }
}
