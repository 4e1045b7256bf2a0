package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.testing.ResultIds;
import dev.vigil.testing.TestProfiles;
import dev.vigil.testing.ThreadCpu;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Metric streams through Kafka: one-feature points over many keys produced to the points topic, scored by the
 * packaged model and written to the default file sinks (one append per severity group), every result awaited in
 * the files, once each, counted by id. Prints the throughput end to end, from the first point produced to the last
 * result written (a figure, not a timed assertion). {@code -Dkafka-sink-bench.points=200000} for a measurement.
 */
@QuarkusTest
@TestProfile(TestProfiles.Base.class)
@Timeout(value = 11, unit = TimeUnit.MINUTES)
class KafkaStreamThroughputTest {
    @Test
    void metricStream_manyKeys_everyResultInTheSinkFilesOnce() throws Exception {
        run("stream-warm", KafkaSinkThroughputTest.WARM_UP);
        long cpu = KafkaSinkThroughputTest.cpuNanos();
        ThreadCpu threads = ThreadCpu.now();
        int points = KafkaSinkThroughputTest.POINTS;
        double perSecond = run("stream", points);
        System.out.printf(Locale.ROOT, "KafkaStreamThroughputTest: %d one-feature points over %d keys, Kafka in,"
                + " file sinks out: %.0f points/s end to end, %.1f µs CPU per point (%s)%n", points,
                KafkaSinkThroughputTest.KEYS, perSecond, (KafkaSinkThroughputTest.cpuNanos() - cpu) / 1e3 / points,
                ThreadCpu.perPoint(ThreadCpu.now().since(threads, ThreadCpu::kafkaGroup), points));
    }

    private static double run(String prefix, int n) throws Exception {
        List<Appended> sinks = new ArrayList<>();
        for (String s : List.of("low", "medium", "high", "critical")) {
            sinks.add(new Appended(TestProfiles.Base.DIRS.sink(s)));
        }
        Map<String, Integer> seen = new HashMap<>(n * 2);
        long start = System.nanoTime();
        KafkaSinkThroughputTest.produce(n, i -> String.format(Locale.ROOT, "{\"id\":\"%s-%d\",\"value\":%.3f}", prefix,
                i, 50 + 10 * Math.sin(i / 1000.0) + (i % 7)));
        long[] last = {start};
        Awaitility.await(prefix).atMost(KafkaSinkThroughputTest.BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (Appended a : sinks) {
                        if (a.read(prefix, seen) > 0) {
                            last[0] = System.nanoTime();
                        }
                    }
                    return seen.size() >= n;
                });
        List<String> twice = new ArrayList<>();
        seen.forEach((id, count) -> {
            if (count > 1) {
                twice.add(id);
            }
        });
        assertEquals(n, seen.size(), prefix + ": results in the sink files");
        assertEquals(List.of(), twice, prefix + ": results written twice");
        return n / ((last[0] - start) / 1e9);
    }

    /** What was appended to one sink file since the last read, whole lines only. */
    private static final class Appended {
        private final Path file;
        private long position;
        private final StringBuilder partial = new StringBuilder();

        Appended(Path file) throws IOException {
            this.file = file;
            this.position = Files.exists(file) ? Files.size(file) : 0;
        }

        /** Counts the ids with {@code prefix} of the lines appended since; how many lines there were. */
        int read(String prefix, Map<String, Integer> seen) throws IOException {
            if (!Files.exists(file) || Files.size(file) <= position) {
                return 0;
            }
            byte[] bytes;
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                bytes = new byte[(int) (f.length() - position)];
                f.seek(position);
                f.readFully(bytes);
            }
            position += bytes.length;
            partial.append(new String(bytes, StandardCharsets.UTF_8));
            int lines = 0;
            int from = 0;
            for (int nl = partial.indexOf("\n"); nl >= 0; nl = partial.indexOf("\n", from)) {
                ResultIds.count(partial.substring(from, nl), prefix, seen);
                lines++;
                from = nl + 1;
            }
            partial.delete(0, from);
            return lines;
        }
    }
}
