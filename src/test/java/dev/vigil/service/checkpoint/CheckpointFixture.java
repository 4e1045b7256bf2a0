package dev.vigil.service.checkpoint;

import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.entity.DetectionService;
import dev.vigil.service.entity.EntityRegistry;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.testing.ServiceParts;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Checkpoints as an earlier run of the packaged default configuration would have left them, for tests that start
 * the application on them; and the score that run would give the next point.
 */
public final class CheckpointFixture {
    private static final String[] NAMES = {"cpu", "mem"};

    private CheckpointFixture() {
    }

    private static DetectionSettings packagedDefaults() {
        return ServiceParts.settings("isolation_forest", Map.of());
    }

    /** Point {@code i} of the key's deterministic stream. */
    private static double[] point(int i) {
        Random random = new Random(1000L + i);
        return new double[] {50 + random.nextGaussian(), 70 + random.nextGaussian()};
    }

    private static PointBatch batch(String key, int from, int to) {
        List<DataPoint> points = new ArrayList<>();
        for (int i = from; i < to; i++) {
            points.add(new DataPoint("p" + i, key, null, NAMES, point(i)));
        }
        return PointBatch.ofPoints("test", "test", points);
    }

    /** Checkpoints {@code key} after its first {@code points} points. */
    public static void writeEarlierRun(Path dir, String key, int points) {
        ServiceParts.Service run = ServiceParts.Service.start(packagedDefaults(), dir, 100, 10_000);
        run.detection().score(batch(key, 0, points));
        run.stop();
    }

    /** A checkpoint of {@code key} with one byte flipped in its payload. */
    public static void writeDamaged(Path dir, String key) {
        writeEarlierRun(dir, key, 10);
        try {
            Path file = new CheckpointStore(dir, 3).newestFirst(key).get(0);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(raf.length() / 2);
                int b = raf.read();
                raf.seek(raf.length() / 2);
                raf.write(b ^ 0xFF);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The score of point {@code points} after the first {@code points}, by an uninterrupted run. */
    public static double nextScore(String key, int points) {
        DetectionService detection = new DetectionService(packagedDefaults(),
                new EntityRegistry(100, Long.MAX_VALUE), new Checkpoints(packagedDefaults(),
                new VigilMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), null, 10_000, 3));
        detection.score(batch(key, 0, points));
        return detection.score(batch(key, points, points + 1)).get(0).score();
    }

    /** Point {@code points} as the JSON an HTTP client sends. */
    public static String nextPointJson(String key, int points) {
        double[] v = point(points);
        return "{\"key\":\"" + key + "\",\"cpu\":" + v[0] + ",\"mem\":" + v[1] + "}";
    }
}
