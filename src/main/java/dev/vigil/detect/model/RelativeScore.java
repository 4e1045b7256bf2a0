package dev.vigil.detect.model;

/**
 * Maps an unbounded raw outlyingness (a distance, a |z|) to [0, 1] relative to its typical value:
 * {@code score = 1 - 2^(-raw / (2 * typical))}. A point as far out as the typical learned point scores 0.29,
 * twice as far 0.5, about 3.5 times 0.7 (the default anomaly threshold) and 6.6 times 0.9 (critical).
 *
 * <p>The typical value is a running mean of the raw scores of learned points: the exact mean for the first
 * {@code horizon} points, then an exponential average over about {@code horizon} points. An observation is
 * capped at {@value #CAP} times the current mean, so one extreme outlier cannot blind the detector to the
 * next. When everything learned so far had raw score 0 (identical points), any positive raw scores 1.
 * Checkpointed through {@link RelativeScoreStateMapper}.
 */
public final class RelativeScore {
    private static final double CAP = 10.0;

    private final int horizon;
    long count;
    double typical;

    public RelativeScore(int horizon) {
        this.horizon = horizon;
    }

    public double map(double raw) {
        if (typical > 0) {
            return 1.0 - Math.pow(2.0, -raw / (2.0 * typical));
        }
        return raw > 0 ? 1.0 : 0.0;
    }

    public void observe(double raw) {
        double value = typical > 0 ? Math.min(raw, CAP * typical) : raw;
        count++;
        typical += (value - typical) / Math.min(count, horizon);
    }
}
