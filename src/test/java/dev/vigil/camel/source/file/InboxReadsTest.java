package dev.vigil.camel.source.file;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.camel.parse.LineBatches;
import dev.vigil.ops.InboxHealthCheck;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * A read that waits for its input longer than the stall timeout shows in the metric and in /q/health/well, and
 * clears when the input comes; a halted read ends without another batch.
 */
class InboxReadsTest {
    private final VigilConfig config = new SmallRyeConfigBuilder().withMapping(VigilConfig.class)
            .withSources(new PropertiesConfigSource(Map.of("vigil.inbox.stall-timeout", "200"), "test", 500)).build()
            .getConfigMapping(VigilConfig.class);

    @Test
    void readWaitingForItsInput_stalledInHealth_untilTheInputComes() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InboxReads reads = new InboxReads(config, new VigilMetrics(registry));
        InboxHealthCheck health = new InboxHealthCheck(reads);
        PipedOutputStream writer = new PipedOutputStream();
        // A pipe nobody writes to: the read waits, as on a hung mount.
        LineBatches batches = new LineBatches(new PipedInputStream(writer, 1 << 16), "hung.jsonl", "file", "hung.jsonl",
                "d", true, new LineBatches.Bounds(1, 1 << 20, 1 << 20));
        reads.started(batches);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(batches::hasNext);
        await().atMost(Duration.ofSeconds(5)).until(() -> health.call().getStatus() == HealthCheckResponse.Status.DOWN);
        assertTrue(health.call().getData().orElseThrow().get("stalled").toString().startsWith("hung.jsonl"));
        assertEquals(1.0, registry.get("vigil.inbox.reads.stalled").gauge().value());

        writer.write("{\"t\":1}\n".getBytes(StandardCharsets.UTF_8));
        writer.flush();
        assertTrue(first.get());
        batches.next();
        assertEquals(HealthCheckResponse.Status.UP, health.call().getStatus());

        boolean[] halted = {false};
        batches.whenHalted(() -> halted[0] = true).halt();
        assertFalse(batches.hasNext(), "no batch after a halt, and no wait for input");
        assertTrue(halted[0]);
        reads.stop();
    }
}
