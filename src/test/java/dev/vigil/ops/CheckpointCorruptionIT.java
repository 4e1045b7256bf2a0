package dev.vigil.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.checkpoint.CheckpointFiles;
import dev.vigil.service.checkpoint.CheckpointFixture;
import dev.vigil.testing.JsonLines;
import dev.vigil.testing.ParallelSafe;
import dev.vigil.testing.VigilProcess;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged checkpoints under the packaged jar: a process scores five keys over HTTP and is stopped (SIGTERM, so each
 * key has three checkpoints: after 50, 100 and 120 points); then the newest file of some keys is damaged on disk
 * (a byte flipped in the middle, or the file cut in half; one key loses its two newest) and the process is
 * started again. It must become ready, refuse each damaged file with its reason (metric and a WARN line naming the
 * file), restore those keys from their previous checkpoint, and score on: the next point of each key scores as an
 * uninterrupted run of exactly as many points as the checkpoint it restored had learned.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ParallelSafe
class CheckpointCorruptionIT {
    private static final int INTERVAL = 50;
    private static final int POINTS = 120;
    private static final int PER_REQUEST = 10;

    /** A key, what is done to its newest checkpoints, and the points the checkpoint it must restore had learned. */
    private record Case(String key, Damage newest, Damage second, int restores) {
    }

    private enum Damage {
        NONE, FLIP, CUT
    }

    private static final List<Case> CASES = List.of(
            new Case("intact-1", Damage.NONE, Damage.NONE, 120),
            new Case("intact-2", Damage.NONE, Damage.NONE, 120),
            new Case("flipped", Damage.FLIP, Damage.NONE, 100),
            new Case("cut", Damage.CUT, Damage.NONE, 100),
            new Case("flipped-and-cut", Damage.FLIP, Damage.CUT, 50));

    private final List<VigilProcess> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (VigilProcess p : started) {
            p.close();
        }
    }

    @Test
    void damagedNewestCheckpoints_refusedWithReason_previousOneRestored_scoringGoesOn() throws Exception {
        Path dir = Path.of("target/checkpoint-corruption-it").toAbsolutePath();
        VigilProcess.deleteTree(dir);
        Path checkpoints = dir.resolve("checkpoints");
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.checkpoint.dir", checkpoints.toString());
        p.put("vigil.checkpoint.interval", Integer.toString(INTERVAL));
        // A loaded machine must not make the fallback answer: the test compares the model's scores.
        p.put("vigil.breaker.timeout", "60000");

        VigilProcess first = VigilProcess.start("corruption", dir, p);
        started.add(first);
        for (Case c : CASES) {
            for (int from = 0; from < POINTS; from += PER_REQUEST) {
                score(first, c.key(), from, from + PER_REQUEST);
            }
        }
        first.stop(); // SIGTERM: the last checkpoint of every key is written at shutdown

        List<Path> damaged = new ArrayList<>();
        int flipped = 0;
        int cut = 0;
        for (Case c : CASES) {
            List<Path> files = CheckpointFiles.newestFirst(checkpoints, c.key());
            assertEquals(List.of(120L, 100L, 50L), files.stream().map(f -> CheckpointFiles.header(f).learned()).toList(),
                    c.key() + ": checkpoints after 50 and 100 points and at shutdown");
            for (int i = 0; i < 2; i++) {
                Damage d = i == 0 ? c.newest() : c.second();
                if (d == Damage.FLIP) {
                    flipMiddleByte(files.get(i));
                    flipped++;
                } else if (d == Damage.CUT) {
                    cutInHalf(files.get(i));
                    cut++;
                }
                if (d != Damage.NONE) {
                    damaged.add(files.get(i));
                }
            }
        }

        long restartAt = System.nanoTime();
        VigilProcess second = first.restart(); // returns once ready
        started.add(second);
        long readyMs = (System.nanoTime() - restartAt) / 1_000_000;

        String metrics = second.metrics();
        assertTrue(metrics.contains("vigil_checkpoint_refused_total{reason=\"checksum\"} " + flipped + ".0"),
                "flipped files refused for their checksum:\n" + refusedLines(metrics));
        assertTrue(metrics.contains("vigil_checkpoint_refused_total{reason=\"truncated\"} " + cut + ".0"),
                "cut files refused as truncated:\n" + refusedLines(metrics));
        List<String> warnings = Files.readAllLines(second.log(), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains(" WARN ") && l.contains("refused")).toList();
        for (Path f : damaged) {
            assertTrue(warnings.stream().anyMatch(l -> l.contains(f.toString())), "a WARN line names " + f + ": "
                    + warnings);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) second.status().get("checkpoints");
        assertEquals(CASES.size(), ((Number) status.get("restored")).intValue(), "every key restored at start");

        // The next point of each key scores as an uninterrupted run of the points its restored checkpoint had learned.
        for (Case c : CASES) {
            Map<String, Object> result = score(second, c.key(), c.restores(), c.restores() + 1).get(0);
            assertEquals("healthy", result.get("state"), c.key() + ": " + result);
            assertEquals(CheckpointFixture.nextScore(c.key(), c.restores()), ((Number) result.get("score")).doubleValue(),
                    1e-6, c.key() + ": scored as after " + c.restores() + " points");
        }
        System.out.printf(Locale.ROOT, "CheckpointCorruptionIT: %d keys, %d newest-or-second checkpoints damaged (%d"
                + " byte flipped, %d cut in half): refused (checksum %d, truncated %d), each named in a WARN line; %d keys"
                + " restored (2 from the checkpoint before, 1 from two before), ready %d ms after the restart, next"
                + " points scored as uninterrupted runs%n", CASES.size(), damaged.size(), flipped, cut, flipped, cut,
                CASES.size(), readyMs);
    }

    /** Points {@code from} to {@code to} (exclusive) of the fixture's stream for {@code key}, in one request. */
    private static List<Map<String, Object>> score(VigilProcess p, String key, int from, int to) throws Exception {
        List<String> points = new ArrayList<>();
        for (int i = from; i < to; i++) {
            points.add(CheckpointFixture.nextPointJson(key, i));
        }
        HttpResponse<String> r = p.post("/api/v1/score", "application/json", "[" + String.join(",", points) + "]");
        assertEquals(200, r.statusCode(), r.body());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) JsonLines.parse(r.body()).get("results");
        assertEquals(to - from, results.size(), r.body());
        return results;
    }

    private static void flipMiddleByte(Path file) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = raf.length() / 2;
            raf.seek(middle);
            int b = raf.read();
            raf.seek(middle);
            raf.write(b ^ 0xFF);
        }
    }

    private static void cutInHalf(Path file) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
    }

    private static String refusedLines(String metrics) {
        return String.join("\n", metrics.lines().filter(l -> l.contains("vigil_checkpoint_refused")).toList());
    }
}
