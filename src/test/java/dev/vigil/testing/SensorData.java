package dev.vigil.testing;

import dev.vigil.detect.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Three-feature sensor readings for route tests: ordinary ones around temperature 20, pressure 1000, humidity
 * 50, and an outlier far from all of them.
 */
public final class SensorData {
    public static final String CSV_HEADER = "id,key,temperature,pressure,humidity";
    private final Rng rng;

    public SensorData(long seed) {
        this.rng = new Rng(seed);
    }

    public double[] normal() {
        return new double[] {20 + rng.nextGaussian(), 1000 + 5 * rng.nextGaussian(), 50 + 3 * rng.nextGaussian()};
    }

    /** A reading far from the ordinary ones, in a random direction (identical outliers would mask each other). */
    public double[] outlier() {
        return new double[] {20 + sign() * (25 + 10 * rng.nextDouble()), 1000 + sign() * (120 + 40 * rng.nextDouble()),
            50 + sign() * (20 + 5 * rng.nextDouble())};
    }

    private double sign() {
        return rng.nextDouble() < 0.5 ? -1 : 1;
    }

    public static String json(String id, String key, double[] v) {
        return String.format(Locale.ROOT, "{\"id\":\"%s\",\"key\":\"%s\",\"temperature\":%.4f,\"pressure\":%.4f,"
                + "\"humidity\":%.4f}", id, key, v[0], v[1], v[2]);
    }

    /** A JSON array of {@code n} ordinary readings of {@code key}, ids {@code idPrefix0...}, seeded with {@code n}. */
    public static String jsonArray(String idPrefix, String key, int n) {
        SensorData data = new SensorData(n);
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            array.append(i == 0 ? "" : ",").append(json(idPrefix + i, key, data.normal()));
        }
        return array.append("]").toString();
    }

    public static String csv(String id, String key, double[] v) {
        return String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%.4f", id, key, v[0], v[1], v[2]);
    }

    /** Writes a file beside the inbox, then moves it in atomically, so the route never sees it half written. */
    public static void drop(Path inbox, String name, String content) {
        try {
            Files.createDirectories(inbox);
            Path tmp = inbox.resolveSibling("." + name + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
