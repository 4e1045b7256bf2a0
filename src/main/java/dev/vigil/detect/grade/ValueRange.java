package dev.vigil.detect.grade;

import dev.vigil.detect.Sizes;

/**
 * The range of every feature a key has shown since it started, and whether a point leaves it: a reading beyond
 * the highest (or below the lowest) ever seen by more than {@value #TOLERANCE} of the range is new territory for
 * the key, whatever its model makes of it. NAB's numenta detector raises such a point to certainty beside its
 * likelihood, and so does {@link KeyGrading} in likelihood mode: a metric at a level it has never had is what an
 * operator wants to hear about first. A feature that has only ever had one value has no range yet and breaches
 * nothing (a constant that starts to move is the model's to judge).
 *
 * <p>Two doubles per feature, no randomness, nothing allocated per point. Checkpointed as {@link ValueRangeState}.
 */
public final class ValueRange {
    static final double TOLERANCE = 0.05;

    final double[] low;
    final double[] high;
    boolean seen;

    public ValueRange(int dimensions) {
        low = new double[dimensions];
        high = new double[dimensions];
    }

    /** True when a feature of {@code values} lies outside the range seen so far, widened by the tolerance. */
    public boolean breaches(double[] values) {
        if (!seen) {
            return false;
        }
        for (int i = 0; i < low.length; i++) {
            double margin = (high[i] - low[i]) * TOLERANCE;
            if (margin > 0 && (values[i] > high[i] + margin || values[i] < low[i] - margin)) {
                return true;
            }
        }
        return false;
    }

    /** Widens the range to {@code values}. */
    public void add(double[] values) {
        for (int i = 0; i < low.length; i++) {
            low[i] = seen ? Math.min(low[i], values[i]) : values[i];
            high[i] = seen ? Math.max(high[i], values[i]) : values[i];
        }
        seen = true;
    }

    public long sizeInBytes() {
        return Sizes.OBJECT + 8 + Sizes.of(low) + Sizes.of(high);
    }

    int dimensions() {
        return low.length;
    }
}
