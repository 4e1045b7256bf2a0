package dev.vigil.demo;

import dev.vigil.detect.Rng;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deterministic, labelled stream from {@value #SENSORS} simulated machines (entity keys {@code sensor-1} to
 * {@code sensor-8}), each reading temperature, vibration and current every ten minutes. See {@link SensorTrace}
 * for the signal and the injected anomalies.
 *
 * <p>The readings carry no label; the labels are kept here by reading id, for scoring the service's answers.
 * Same seed and size, same stream.
 */
public final class SensorStream {
    public static final int SENSORS = 8;
    /** The smallest stream: below this a sensor's trace cannot hold its warm-up and its anomalies. */
    public static final int MIN_POINTS = 200 * SENSORS;
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    private final List<List<Reading>> sensors;
    private final Map<String, AnomalyKind> labels;

    private SensorStream(List<List<Reading>> sensors, Map<String, AnomalyKind> labels) {
        this.sensors = sensors;
        this.labels = labels;
    }

    /**
     * {@code points} readings in all, split evenly over the sensors. Ids are {@code <idPrefix>s<sensor>-<step>};
     * a prefix per run keeps them unique in a service's output across runs.
     */
    public static SensorStream generate(long seed, int points, String idPrefix) {
        if (points < MIN_POINTS) {
            throw new IllegalArgumentException("at least " + MIN_POINTS + " points are needed, got " + points);
        }
        Rng seeds = new Rng(seed);
        List<List<Reading>> sensors = new ArrayList<>(SENSORS);
        Map<String, AnomalyKind> labels = new HashMap<>();
        for (int s = 0; s < SENSORS; s++) {
            int length = points / SENSORS + (s < points % SENSORS ? 1 : 0);
            // One generator per sensor, so a sensor's trace does not depend on how long the others are.
            SensorTrace trace = new SensorTrace(new Rng(seeds.nextLong()), s, length);
            List<Reading> readings = new ArrayList<>(length);
            for (int t = 0; t < length; t++) {
                String id = String.format(Locale.ROOT, "%ss%d-%06d", idPrefix, s + 1, t);
                double[] v = trace.values[t];
                readings.add(new Reading(id, key(s), START.plusSeconds((long) SensorTrace.STEP_SECONDS * t).toString(), round(v[0]),
                        round(v[1]), round(v[2])));
                if (trace.kinds[t] != null) {
                    labels.put(id, trace.kinds[t]);
                }
            }
            sensors.add(Collections.unmodifiableList(readings));
        }
        return new SensorStream(Collections.unmodifiableList(sensors), Collections.unmodifiableMap(labels));
    }

    public static String key(int sensor) {
        return "sensor-" + (sensor + 1);
    }

    public int sensorCount() {
        return sensors.size();
    }

    /** One sensor's readings (0-based index) in time order. */
    public List<Reading> sensor(int index) {
        return sensors.get(index);
    }

    /** Every reading, sensor by sensor, each in time order. */
    public List<Reading> readings() {
        List<Reading> all = new ArrayList<>(size());
        sensors.forEach(all::addAll);
        return all;
    }

    public int size() {
        return sensors.stream().mapToInt(List::size).sum();
    }

    /** The injected anomaly a reading is labelled with, or null for an ordinary (label 0) reading. */
    public AnomalyKind kindOf(String id) {
        return labels.get(id);
    }

    public boolean isAnomaly(String id) {
        return labels.containsKey(id);
    }

    /** Labelled readings per kind, every kind present (zero if none). */
    public Map<AnomalyKind, Integer> labelCounts() {
        Map<AnomalyKind, Integer> counts = new EnumMap<>(AnomalyKind.class);
        for (AnomalyKind kind : AnomalyKind.values()) {
            counts.put(kind, 0);
        }
        labels.values().forEach(kind -> counts.merge(kind, 1, Integer::sum));
        return counts;
    }

    public int labelCount() {
        return labels.size();
    }

    /** Four decimals, as sent: a stuck run stays a run of identical values on the wire. */
    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
