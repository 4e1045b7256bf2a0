package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.monitor.VigilMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rejected file at its size is rotated, numbered, and the oldest beyond those kept is deleted and counted. */
class FileSinkRotationTest {
    @TempDir
    Path dir;

    @Test
    void rotate_atTheSize_shiftsAndDeletesTheOldestBeyondKeep() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FileSinkRotation rotation = new FileSinkRotation(Map.of("rejected", "file:" + dir
                + "?fileName=rejected.jsonl&fileExist=Append", "critical", "kafka:results"), 10, 2,
                new VigilMetrics(registry));
        Path file = dir.resolve("rejected.jsonl");
        for (int i = 1; i <= 4; i++) {
            Files.writeString(file, "generation-" + i + "\n");
            rotation.rotate("rejected");
        }
        Files.writeString(file, "small\n");
        rotation.rotate("rejected");
        rotation.rotate("critical");
        assertEquals("small\n", Files.readString(file), "under the size: left alone");
        assertEquals("generation-4\n", Files.readString(dir.resolve("rejected.1.jsonl")));
        assertEquals("generation-3\n", Files.readString(dir.resolve("rejected.2.jsonl")));
        assertFalse(Files.exists(dir.resolve("rejected.3.jsonl")));
        assertEquals(4, registry.get("vigil.sink.file.rotations").tag("sink", "rejected").counter().count());
        assertEquals(2 * "generation-1\n".length(), registry.get("vigil.sink.file.discarded.bytes")
                .tag("sink", "rejected").counter().count());
        assertTrue(FileSinkRotation.numbered(Path.of("a/results"), 3).endsWith("results.3"));
    }
}
