package dev.vigil.service.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.monitor.VigilMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint folder within its budget and retention, sparing live keys, least recently written first. */
class CheckpointRetentionTest {
    @TempDir
    Path dir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double removed(String reason) {
        var c = registry.find("vigil.checkpoint.removed").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void sweep_overTheBudget_removesTheLeastRecentlyWrittenThatAreNotLive() throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 3);
        for (int k = 0; k < 10; k++) {
            store.write("key-" + k, new byte[100]);
        }
        CheckpointRetention retention = new CheckpointRetention(store, 0, 500, new VigilMetrics(registry));
        assertTrue(retention.overBudget());
        int n = retention.sweep(Set.of(CheckpointStore.folderName("key-0")));
        assertEquals(5, n);
        assertEquals(500, store.totalBytes());
        assertTrue(store.has("key-0"), "live: kept though the oldest");
        for (int k = 1; k <= 5; k++) {
            assertFalse(Files.exists(dir.resolve(CheckpointStore.folderName("key-" + k))), "key-" + k);
        }
        assertTrue(store.has("key-6"));
        assertEquals(5, removed("budget"));
        assertEquals(500, registry.get("vigil.checkpoint.disk").gauge().value());
    }

    /** Checkpoints written long ago (a sequence is the time of writing, in microseconds) expire; recent ones stay. */
    @Test
    void sweep_keysNotSeenForTheRetention_removedUnlessLive() throws Exception {
        long longAgo = CheckpointStore.sequenceAt(System.currentTimeMillis() - 3_600_000);
        for (String key : new String[] {"old", "old-live"}) {
            Path folder = Files.createDirectories(dir.resolve(CheckpointStore.folderName(key)));
            Files.write(folder.resolve(String.format("%019d", longAgo) + CheckpointStore.SUFFIX), new byte[10]);
        }
        CheckpointStore store = new CheckpointStore(dir, 3);
        store.write("recent", new byte[10]);
        CheckpointRetention retention = new CheckpointRetention(store, 60, Long.MAX_VALUE, new VigilMetrics(registry));
        assertEquals(1, retention.sweep(Set.of(CheckpointStore.folderName("old-live"))));
        assertFalse(store.has("old"));
        assertTrue(store.has("old-live"));
        assertTrue(store.has("recent"));
        assertEquals(1, removed("expired"));
        assertEquals(2, store.keys());
    }
}
