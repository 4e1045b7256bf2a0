package dev.vigil.demo;

import dev.vigil.detect.Rng;

/**
 * The readings of one simulated sensor and the anomaly kind of each (null = normal): per-feature baselines with
 * Gaussian noise and a daily swing, one long episode (level shift, drift or stuck run, chosen by the sensor's
 * index so every kind appears) and a few spikes. Nothing is injected during the first readings, so a model has
 * something ordinary to learn from first.
 */
final class SensorTrace {
    /** Seconds between readings. */
    static final int STEP_SECONDS = 600;
    /**
     * Readings per simulated day. Short enough that a model sees whole days early: with a longer cycle, the
     * first day's unseen phases are outliers to any window-based model.
     */
    static final int DAY = 24 * 3600 / STEP_SECONDS;
    /** Readings labelled after a level shift: a model that adapts stops flagging it, and should. */
    static final int SHIFT_LABELLED = 20;
    /** A drift is labelled once its offset reaches this many noise sigmas. */
    static final double DRIFT_LABEL_SIGMAS = 6;

    private static final double[] SIGMA = {0.5, 0.08, 0.25};
    private static final double[] DAILY_SWING = {2.0, 0.05, 0.6};

    final double[][] values;
    final AnomalyKind[] kinds;
    private final Rng rng;
    private final int length;
    private final int warmUp;

    SensorTrace(Rng rng, int sensor, int length) {
        this.rng = rng;
        this.length = length;
        this.values = new double[length][];
        this.kinds = new AnomalyKind[length];
        this.warmUp = Math.max(50, length * 15 / 100);
        baseline();
        switch (sensor % 3) {
            case 0 -> levelShift();
            case 1 -> drift();
            default -> stuck();
        }
        spikes();
    }

    private void baseline() {
        double[] base = {35 + 10 * rng.nextDouble(), 2 + 2 * rng.nextDouble(), 8 + 6 * rng.nextDouble()};
        double phase = 2 * Math.PI * rng.nextDouble();
        for (int t = 0; t < length; t++) {
            double daily = Math.sin(2 * Math.PI * t / DAY + phase);
            double[] v = new double[3];
            for (int f = 0; f < 3; f++) {
                v[f] = base[f] + DAILY_SWING[f] * daily + SIGMA[f] * rng.nextGaussian();
            }
            values[t] = v;
        }
    }

    /** A persistent offset of 8 to 12 sigma on one feature, from a point in the middle third to the end. */
    private void levelShift() {
        int start = middleStart();
        int f = rng.nextInt(3);
        double offset = sign() * (8 + 4 * rng.nextDouble()) * SIGMA[f];
        for (int t = start; t < length; t++) {
            values[t][f] += offset;
            if (t < start + SHIFT_LABELLED) {
                kinds[t] = AnomalyKind.LEVEL_SHIFT;
            }
        }
    }

    /**
     * A linear drift on one feature until the end of the trace: it reaches 6 sigma after {@code ramp} readings
     * and goes on for {@code beyond} more, which are the labelled ones. The ramp before is unlabelled: those
     * readings are still within what noise could explain.
     */
    private void drift() {
        int beyond = Math.max(10, Math.round(length * 0.02f));
        int ramp = Math.max(40, Math.round(length * 0.08f));
        int start = length - ramp - beyond;
        int f = rng.nextInt(3);
        double perStep = sign() * DRIFT_LABEL_SIGMAS * SIGMA[f] / ramp;
        for (int t = start; t < length; t++) {
            values[t][f] += perStep * (t - start);
            if (t - start >= ramp) {
                kinds[t] = AnomalyKind.DRIFT;
            }
        }
    }

    /** Every feature repeats the reading before the run; the whole run is labelled. */
    private void stuck() {
        int run = Math.max(10, Math.round(length * 0.02f));
        int start = middleStart();
        for (int t = start; t < start + run; t++) {
            values[t] = values[start - 1].clone();
            kinds[t] = AnomalyKind.STUCK;
        }
    }

    /**
     * About 0.8 % of the readings, one feature each 10 to 15 sigma off: far enough to leave the range the daily
     * swing covers. Never next to another labelled reading, so each label has one cause; a spike on top of a
     * shifted level or a drift ramp is still a spike.
     */
    private void spikes() {
        int count = Math.max(2, Math.round(length * 0.008f));
        int placed = 0;
        for (int attempt = 0; placed < count && attempt < 100 * count; attempt++) {
            int t = warmUp + rng.nextInt(length - warmUp);
            if (isLabelled(t - 1) || isLabelled(t) || isLabelled(t + 1)) {
                continue;
            }
            int f = rng.nextInt(3);
            values[t][f] += sign() * (10 + 5 * rng.nextDouble()) * SIGMA[f];
            kinds[t] = AnomalyKind.SPIKE;
            placed++;
        }
    }

    private boolean isLabelled(int t) {
        return t >= 0 && t < length && kinds[t] != null;
    }

    private int middleStart() {
        int low = Math.max(warmUp, length * 35 / 100);
        int high = Math.max(low + 1, length * 65 / 100);
        return low + rng.nextInt(high - low);
    }

    private double sign() {
        return rng.nextDouble() < 0.5 ? -1 : 1;
    }
}
