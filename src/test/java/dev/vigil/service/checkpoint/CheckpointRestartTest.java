package dev.vigil.service.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.detect.pipeline.Preset;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.entity.DetectionService;
import dev.vigil.service.entity.EntityRegistry;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.testdata.SeasonalSeries;
import dev.vigil.testing.ParallelSafe;
import dev.vigil.testing.ServiceParts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints through the service layer, as the routes use it: stop, start, continue gives the scores of an
 * uninterrupted run, for every model; evicted keys resume; damaged, foreign and stale files are refused and the
 * previous good one is used.
 */
@ParallelSafe
class CheckpointRestartTest {
    private static final String[] NAMES = {"cpu", "mem", "io"};
    private static final String[] KEYS = ServiceParts.KEYS;

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.vigil.testing.ServiceParts#models")
    void restart_midStream_scoresEqualAnUninterruptedRun(String model) {
        DetectionSettings settings = ServiceParts.settings(model, Map.of());
        List<PointBatch> first = ServiceParts.stream(60, 1);
        List<PointBatch> second = ServiceParts.stream(60, 2);

        ServiceParts.Service uninterrupted = ServiceParts.Service.start(settings, dir.resolve("a"), 100, 10_000);
        uninterrupted.score(first);
        double[] expected = uninterrupted.score(second);

        ServiceParts.Service before = ServiceParts.Service.start(settings, dir.resolve("b"), 100, 10_000);
        before.score(first);
        before.stop();
        ServiceParts.Service after = ServiceParts.Service.start(settings, dir.resolve("b"), 100, 10_000);
        assertEquals(KEYS.length, after.registry().size(), "every key restored before scoring");
        double[] actual = after.score(second);

        assertArrayEquals(expected, actual, model + ": scores after the restart");
        ServiceParts.Service fresh = ServiceParts.Service.start(settings, dir.resolve("c"), 100, 10_000);
        assertFalse(Arrays.equals(expected, fresh.score(second)), "a fresh model scores differently: the test can fail");
    }

    /**
     * The metrics preset (likelihood grading, warm-up, one alert per event) restarted on a NAB-like series: during
     * the warm-up, before the likelihood has a distribution, later, and inside an open event (spikes at 1,500 and
     * 1,580, one event with a gap of 100: the second beyond everything the key has shown). Every result after the restart is the uninterrupted run's, field by field.
     */
    @ParameterizedTest
    @ValueSource(ints = {100, 200, 1200, 1550})
    void restart_likelihoodGrading_resultsEqualAnUninterruptedRun(int cut) {
        DetectionSettings settings = ServiceParts.settings(Preset.METRICS);
        double[] series = SeasonalSeries.generate(7, 2500, SeasonalSeries.Event.SPIKE, 1500);
        series[1580] += 24;
        List<PointBatch> batches = new ArrayList<>();
        for (int from = 0; from < series.length; from += 50) {
            List<DataPoint> points = new ArrayList<>();
            for (int i = from; i < from + 50; i++) {
                points.add(new DataPoint("p" + i, "metric", null, new String[] {"value"}, new double[] {series[i]}));
            }
            batches.add(PointBatch.ofPoints("test", "test", points));
        }
        List<PointBatch> first = batches.subList(0, cut / 50);
        List<PointBatch> second = batches.subList(cut / 50, batches.size());

        ServiceParts.Service uninterrupted = ServiceParts.Service.start(settings, dir.resolve("a"), 100, 10_000);
        first.forEach(uninterrupted.detection()::score);
        List<String> expected = lines(uninterrupted, second);

        ServiceParts.Service before = ServiceParts.Service.start(settings, dir.resolve("b"), 100, 10_000);
        first.forEach(before.detection()::score);
        before.stop();
        ServiceParts.Service after = ServiceParts.Service.start(settings, dir.resolve("b"), 100, 10_000);
        assertEquals(1, after.registry().size(), "restored before scoring");

        assertEquals(expected, lines(after, second), "results after a restart at point " + cut);
        ServiceParts.Service fresh = ServiceParts.Service.start(settings, dir.resolve("c"), 100, 10_000);
        assertNotEquals(expected, lines(fresh, second), "a fresh key grades differently: the test can fail");
        if (cut == 1550) {
            assertTrue(expected.stream().anyMatch(l -> l.contains(" 1501 ")),
                    "the spike at 1,580 joins the event opened at 1,500, before the restart");
        }
    }

    /** Each result as the golden files write it: every field the grading gives. */
    private static List<String> lines(ServiceParts.Service s, List<PointBatch> batches) {
        List<String> lines = new ArrayList<>();
        for (PointBatch b : batches) {
            s.detection().score(b).forEach(r -> lines.add(CheckpointGoldenFilesGenerator.line(r)));
        }
        return lines;
    }

    @Test
    void evictedKey_comesBack_resumesFromItsCheckpoint() {
        DetectionSettings settings = ServiceParts.settings("isolation_forest", Map.of());
        List<PointBatch> batches = ServiceParts.stream(90, 3);
        ServiceParts.Service unbounded = ServiceParts.Service.start(settings, dir.resolve("a"), 100, 10_000);
        ServiceParts.Service oneKey = ServiceParts.Service.start(settings, dir.resolve("b"), 1, 10_000);

        assertArrayEquals(unbounded.score(batches), oneKey.score(batches),
                "with room for one key, every batch evicts a key and restores the next one");
        assertTrue(oneKey.registry().evictions() >= 89, "evictions: " + oneKey.registry().evictions());
        // Wait for the writes, so that none is under way when the folder is deleted.
        unbounded.stop();
        oneKey.stop();
    }

    @Test
    void interval_everyNPointsOfAKey_writtenWithoutAStop() throws Exception {
        ServiceParts.Service s = ServiceParts.Service.start(ServiceParts.settings("zscore", Map.of()), dir, 100, 100);
        s.score(ServiceParts.stream(15, 4));
        await().atMost(Duration.ofSeconds(10)).until(() -> s.checkpoints().written() >= KEYS.length);
        for (String key : KEYS) {
            assertEquals(1, new CheckpointStore(dir, 3).newestFirst(key).size(), key);
        }
    }

    @Test
    void keep_manyCheckpoints_theNewestThreeKept() throws IOException {
        for (int i = 0; i < 5; i++) {
            ServiceParts.Service s = ServiceParts.Service.start(ServiceParts.settings("zscore", Map.of()), dir, 100, 10_000);
            s.score(ServiceParts.stream(3, 10 + i));
            s.stop();
        }
        for (String key : KEYS) {
            assertEquals(3, new CheckpointStore(dir, 3).newestFirst(key).size(), key);
        }
    }

    /** Two checkpoints of one key: the newest damaged in {@code damage}, the older one good. */
    private double[] restoreAfter(Damage damage) throws IOException {
        DetectionSettings settings = ServiceParts.settings("isolation_forest", Map.of());
        ServiceParts.Service s = ServiceParts.Service.start(settings, dir, 100, 10_000);
        s.score(ServiceParts.stream(3, 5));
        s.stop();
        ServiceParts.Service again = ServiceParts.Service.start(settings, dir, 100, 10_000);
        again.score(ServiceParts.stream(3, 6));
        again.stop();
        List<Path> newestFirst = again.checkpoints().enabled() ? new CheckpointStore(dir, 3).newestFirst(KEYS[0])
                : List.of();
        assertEquals(2, newestFirst.size());
        damage.apply(newestFirst.get(0));
        ServiceParts.Service restored = ServiceParts.Service.start(settings, dir, 100, 10_000);
        assertEquals(KEYS.length, restored.registry().size(), "startup never fails because of one bad file");
        return restored.score(ServiceParts.stream(3, 7));
    }

    interface Damage {
        void apply(Path file) throws IOException;
    }

    /** Scores after restoring from the older of the two checkpoints, for comparison. */
    private double[] restoreFromOlder() throws IOException {
        return restoreAfter(Files::delete);
    }

    @Test
    void damagedNewest_flippedByte_olderCheckpointUsed() throws IOException {
        double[] expected = restoreFromOlder();
        cleanDir();
        double[] actual = restoreAfter(f -> {
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.seek(raf.length() / 2);
                int b = raf.read();
                raf.seek(raf.length() / 2);
                raf.write(b ^ 0x5A);
            }
        });
        assertArrayEquals(expected, actual);
    }

    @Test
    void damagedNewest_truncated_olderCheckpointUsed() throws IOException {
        double[] expected = restoreFromOlder();
        cleanDir();
        assertArrayEquals(expected, restoreAfter(f -> {
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(raf.length() - 100);
            }
        }));
    }

    @Test
    void damagedNewest_unknownFormatVersion_olderCheckpointUsed() throws IOException {
        double[] expected = restoreFromOlder();
        cleanDir();
        assertArrayEquals(expected, restoreAfter(f -> {
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.seek(4);
                raf.writeShort(99);
            }
        }));
    }

    @Test
    void otherConfiguration_checkpointRefused_keysStartFresh() {
        ServiceParts.Service s = ServiceParts.Service.start(ServiceParts.settings("isolation_forest", Map.of()), dir, 100, 10_000);
        s.score(ServiceParts.stream(3, 8));
        s.stop();
        ServiceParts.Service other = ServiceParts.Service.start(ServiceParts.settings("isolation_forest", Map.of("num_trees", "50")), dir, 100, 10_000);
        assertEquals(0, other.registry().size(), "a checkpoint of another configuration is not used");
        ServiceParts.Service fresh = ServiceParts.Service.start(ServiceParts.settings("isolation_forest", Map.of("num_trees", "50")), dir.resolve("x"), 100,
                10_000);
        assertArrayEquals(fresh.score(ServiceParts.stream(3, 9)), other.score(ServiceParts.stream(3, 9)));
    }

    @Test
    void unusableFolder_scoringGoesOn_checkpointsFailLoudly_thenRecoverWhenTheFolderDoes() throws IOException {
        // The folder's parent is a regular file: it cannot be created at start, nor any key folder later.
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "");
        ServiceParts.Service s = ServiceParts.Service.start(ServiceParts.settings("zscore", Map.of()), blocked.resolve("checkpoints"), 100, 10);
        assertTrue(s.checkpoints().enabled(), "an unusable folder does not turn checkpoints off silently");
        assertTrue(s.checkpoints().failingSince() > 0, "the folder failed at start");
        assertEquals(75, s.score(ServiceParts.stream(3, 12)).length, "scoring goes on");
        await().atMost(Duration.ofSeconds(10)).until(() -> s.checkpoints().failures() >= 1 + KEYS.length);
        assertEquals(0, s.checkpoints().written());
        assertEquals(KEYS.length, s.checkpoints().unsavedKeys());
        assertTrue(s.checkpoints().lastFailure().startsWith("write failed: "), s.checkpoints().lastFailure());

        Files.delete(blocked);
        s.score(ServiceParts.stream(3, 13));
        await().atMost(Duration.ofSeconds(10)).until(() -> s.checkpoints().failingSince() == 0);
        assertTrue(s.checkpoints().written() >= 1);
        s.stop();
        assertEquals(0, s.checkpoints().unsavedKeys(), "every key written once the folder works");
        for (String key : KEYS) {
            assertFalse(new CheckpointStore(blocked.resolve("checkpoints"), 3).newestFirst(key).isEmpty(), key);
        }
    }

    /**
     * A key checkpointed again while its previous snapshot is still being written (every batch here): the newest
     * snapshot reaches the disk. It once stayed in memory for good, since no write was queued for it, and the key's
     * checkpoint at shutdown was lost with it.
     */
    @Test
    void snapshotsWhileTheKeysPreviousWriteIsUnderWay_newestReachesTheDisk() {
        DetectionSettings settings = ServiceParts.settings("zscore", Map.of());
        ServiceParts.Service s = ServiceParts.Service.start(settings, dir, 100, 25);
        List<PointBatch> batches = ServiceParts.stream(600, 14);
        s.score(batches);
        s.stop();
        long expected = 25L * batches.stream().filter(b -> KEYS[0].equals(b.points().get(0).key())).count();
        Checkpoints fresh = new Checkpoints(settings, new VigilMetrics(new SimpleMeterRegistry()), dir, 25, 3);
        assertEquals(expected, fresh.load(KEYS[0]).orElseThrow().learned(), "points learned in the newest checkpoint");
    }

    @Test
    void codec_refusesEachKindOfDamage_withItsReason() {
        CheckpointCodec.Snapshot s = new CheckpointCodec.Snapshot("k", NAMES, 10, 1, new byte[] {1, 2, 3},
                new byte[] {4}, new byte[] {5, 6}, new byte[] {7});
        byte[] good = CheckpointCodec.encode("config", s);
        assertEquals(CheckpointCodec.Refusal.CONFIGURATION, refusal(good, "other"));
        assertEquals(CheckpointCodec.Refusal.TRUNCATED, refusal(Arrays.copyOf(good, good.length - 1), "config"));
        assertEquals(CheckpointCodec.Refusal.TRUNCATED, refusal(Arrays.copyOf(good, 5), "config"));
        byte[] flipped = good.clone();
        flipped[20] ^= 1;
        assertEquals(CheckpointCodec.Refusal.CHECKSUM, refusal(flipped, "config"));
        byte[] notOurs = good.clone();
        notOurs[0] = 'P';
        assertEquals(CheckpointCodec.Refusal.NOT_A_CHECKPOINT, refusal(notOurs, "config"));
        assertNotEquals(null, decode(good, "config"));
        assertArrayEquals(NAMES, decode(good, "config").schema());
    }

    /** Files of format version 1 (before score ranks were checkpointed) are still read; their ranks start afresh. */
    @Test
    void codec_readsVersion1Files_withoutScoreRanks() throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        DataOutputStream p = new DataOutputStream(payload);
        p.writeUTF("config");
        p.writeUTF("k");
        p.writeInt(NAMES.length);
        for (String name : NAMES) {
            p.writeUTF(name);
        }
        p.writeLong(10);
        p.writeLong(1);
        p.writeInt(3);
        p.write(new byte[] {1, 2, 3});
        p.writeInt(1);
        p.write(new byte[] {4});
        byte[] body = payload.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] file = ByteBuffer.allocate(4 + 2 + 4 + body.length + 8).putInt(CheckpointCodec.MAGIC).putShort((short) 1)
                .putInt(body.length).put(body).putLong(crc.getValue()).array();

        CheckpointCodec.Snapshot s = decode(file, "config");
        assertArrayEquals(new byte[] {1, 2, 3}, s.pipeline());
        assertArrayEquals(new byte[] {4}, s.fallback());
        assertEquals(0, s.ranks().length);
    }

    private static CheckpointCodec.Refusal refusal(byte[] bytes, String fingerprint) {
        try {
            CheckpointCodec.decode(bytes, fingerprint);
            return null;
        } catch (CheckpointCodec.RefusedException e) {
            return e.refusal;
        }
    }

    private static CheckpointCodec.Snapshot decode(byte[] bytes, String fingerprint) {
        try {
            return CheckpointCodec.decode(bytes, fingerprint);
        } catch (CheckpointCodec.RefusedException e) {
            throw new AssertionError(e);
        }
    }

    private void cleanDir() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
        }
    }
}
