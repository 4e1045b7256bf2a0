package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.ParallelSafe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 50,000 distinct keys through a 128 MiB heap: no OutOfMemoryError, keys evicted (and checkpointed) to stay within
 * the budget, and the pipelines' own size estimate within 2x of the heap they really hold. 20 points per key: sparse
 * keys whose windows and trees have grown a little, and enough that the memory budget, not the 10,000-key limit,
 * bounds them (more than 40,000 evictions).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@ParallelSafe
class ManyKeysMemoryTest {

    @TempDir
    Path tempDir;

    /** RAM-backed when the machine has it: this test is about the heap, and 50,000 fsyncs would dominate it. */
    private Path checkpointDir() throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "vigil-keys")
                : tempDir;
    }

    @Test
    void fiftyThousandKeys_smallHeap_boundedByEvictionWithAnHonestEstimate() throws Exception {
        Path checkpoints = checkpointDir();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Output to a file, read once the process has ended: a child that hangs cannot hold the test on a pipe.
        Path log = tempDir.resolve("many-keys.log");
        Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), ManyKeysMain.class.getName(), "50000", "20",
                checkpoints.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "finished within 5 minutes:\n" + out);
        assertEquals(0, p.exitValue(), "no OutOfMemoryError:\n" + out);
        Map<String, Long> r = parse(out);

        assertEquals(50_000, r.get("keys"));
        assertTrue(r.get("evictions") > 40_000, "evictions counted: " + out);
        assertTrue(r.get("estimateBytes") <= r.get("budgetBytes"), out);
        double ratio = (double) r.get("estimateBytes") / r.get("heapDeltaBytes");
        assertTrue(ratio > 0.5 && ratio < 2, "estimate / measured heap = " + ratio + "\n" + out);
        assertTrue(r.get("checkpointsWritten") >= r.get("evictions"), "every evicted key checkpointed: " + out);
        System.out.println(out);
        if (!checkpoints.equals(tempDir)) {
            try (var paths = Files.walk(checkpoints)) {
                paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Map<String, Long> parse(String out) throws IOException {
        Map<String, Long> values = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(eq + 1).matches("-?\\d+")) {
                values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
        }
        return values;
    }
}
