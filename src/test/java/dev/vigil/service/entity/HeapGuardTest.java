package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.ParallelSafe;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The heap guard watches the old generation only, under each collector a deployment may run: the container's base
 * image starts the JVM with the parallel collector, and below 2 CPUs or 1,792 MiB the JVM picks the serial one. Each
 * runs in a JVM of its own, since a JVM has one collector.
 */
@ParallelSafe
class HeapGuardTest {
    @TempDir
    Path tempDir;

    @ParameterizedTest
    @ValueSource(strings = {"-XX:+UseG1GC", "-XX:+UseParallelGC", "-XX:+UseSerialGC"})
    void tenuredPools_anyCollector_onlyTheOldGeneration(String collector) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Output to a file, read once the process has ended: a child that hangs cannot hold the test on a pipe.
        Path log = tempDir.resolve("pools.log");
        Process p = new ProcessBuilder(java, "-Xmx256m", collector, "-cp", System.getProperty("java.class.path"),
                PrintTenuredPools.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "finished within 60 s:\n" + out);
        assertEquals(0, p.exitValue(), out);
        List<String> pools = out.lines().filter(line -> line.startsWith("pool ")).toList();
        assertEquals(1, pools.size(), "one pool watched:\n" + out);
        assertTrue(pools.get(0).matches("pool (G1 Old Gen|PS Old Gen|Tenured Gen)"), out);
    }

    /** Prints the pools the heap guard would watch in this JVM. */
    public static final class PrintTenuredPools {
        public static void main(String[] args) {
            for (MemoryPoolMXBean pool : HeapGuard.tenuredPools()) {
                System.out.println("pool " + pool.getName());
            }
        }
    }
}
