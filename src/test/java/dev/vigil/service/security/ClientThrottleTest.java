package dev.vigil.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.config.VigilConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets per client, on a fake clock. */
class ClientThrottleTest {
    private final AtomicLong now = new AtomicLong();

    private ClientThrottle throttle(Map<String, String> properties) {
        VigilConfig config = new SmallRyeConfigBuilder().withMapping(VigilConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build()
                .getConfigMapping(VigilConfig.class);
        return new ClientThrottle(config.throttle(), now::get);
    }

    @Test
    void tryAcquire_withinOneMinuteAllowance_admitted_thenRefusedWithRetryTime() {
        ClientThrottle t = throttle(Map.of("vigil.throttle.max-per-minute", "60"));
        assertEquals(0, t.tryAcquire("http", "a", 60));
        long wait = t.tryAcquire("http", "a", 6);
        // 6 tokens at one per second.
        assertEquals(6.0, wait / 1e9, 0.01);
        now.addAndGet(TimeUnit.SECONDS.toNanos(6));
        assertEquals(0, t.tryAcquire("http", "a", 6));
    }

    @Test
    void tryAcquire_otherClient_unaffected() {
        ClientThrottle t = throttle(Map.of("vigil.throttle.max-per-minute", "10"));
        assertEquals(0, t.tryAcquire("http", "greedy", 10));
        assertTrue(t.tryAcquire("http", "greedy", 1) > 0);
        assertEquals(0, t.tryAcquire("http", "modest", 10));
        assertEquals(0, t.tryAcquire("kafka", "greedy", 10), "sources have separate buckets");
    }

    @Test
    void tryAcquire_requestLargerThanAllowance_passesOnAFullBucket_thenWaits() {
        ClientThrottle t = throttle(Map.of("vigil.throttle.max-per-minute", "10"));
        assertEquals(0, t.tryAcquire("http", "bulk", 25));
        long wait = t.tryAcquire("http", "bulk", 1);
        // 15 tokens of debt, then one more: 16 tokens at 1 per 6 s.
        assertEquals(96.0, wait / 1e9, 0.1);
    }

    @Test
    void reserve_neverRefuses_returnsTheBackPressureDelay() {
        ClientThrottle t = throttle(Map.of("vigil.throttle.max-per-minute", "120"));
        assertEquals(0, t.reserve("file", "a.csv", 120));
        assertEquals(5.0, t.reserve("file", "a.csv", 10) / 1e9, 0.01);
        assertEquals(10.0, t.reserve("file", "a.csv", 10) / 1e9, 0.01);
    }

    @Test
    void perSourceOverride_zeroMeansUnlimited() {
        ClientThrottle t = throttle(Map.of("vigil.throttle.max-per-minute", "10", "vigil.throttle.source.file", "0"));
        assertEquals(0, t.reserve("file", "big.csv", 1_000_000));
        assertEquals(10, t.limit("http"));
        assertEquals(0, t.limit("file"));
    }
}
