package dev.vigil.service.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Counters that read Vigil's own counts keep reading them after garbage collections. */
class VigilMetricsTest {

    @Test
    void counted_methodReference_survivesGarbageCollection() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VigilMetrics metrics = new VigilMetrics(registry);
        AtomicLong restored = new AtomicLong();
        metrics.counted("test.restored", "a count kept elsewhere", restored::get);
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        restored.set(102);
        assertEquals(102.0, registry.get("test.restored").functionCounter().count());
    }
}
