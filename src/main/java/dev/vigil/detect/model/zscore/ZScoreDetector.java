package dev.vigil.detect.model.zscore;

import dev.vigil.detect.Checks;
import dev.vigil.detect.Explainable;
import dev.vigil.detect.Points;
import dev.vigil.detect.RunningMoments;
import dev.vigil.detect.Sizes;
import dev.vigil.detect.model.RelativeScore;

/**
 * Running z-score per feature ({@code zscore}); the statistical fallback of the resilient detector.
 *
 * <p><b>Algorithm.</b> Welford's online mean and variance per feature ({@link RunningMoments}) over every learned point; the raw score
 * of x is the largest |x_f - mean_f| / std_f over its features. A feature whose variance is still 0 (constant
 * so far) uses a tiny floor instead of 0, so a constant feature that changes gives a very large |z| rather
 * than a division by zero.
 *
 * <p><b>Score.</b> {@link RelativeScore} over the raw |z| with a horizon of 1,000 points. 0 until two points
 * have been learned.
 *
 * <p><b>Attribution.</b> Each feature's |z| ({@link Explainable}): its share of the sum of the |z| of all
 * features. All zero until two points have been learned.
 *
 * <p><b>Memory.</b> Three doubles per feature; no allocation per point.
 *
 * <p><b>Checkpoint.</b> {@link ZScoreState}: count, mean and M2 per feature, and the running typical |z|.
 */
public final class ZScoreDetector implements Explainable {
    static final int TYPICAL_HORIZON = 1000;

    private final int dimensions;
    final RunningMoments moments;
    final RelativeScore relative = new RelativeScore(TYPICAL_HORIZON);

    public ZScoreDetector(int dimensions) {
        Checks.range("dimensions", dimensions, 1, Checks.MAX_DIMENSIONS);
        this.dimensions = dimensions;
        this.moments = new RunningMoments(dimensions);
    }

    @Override
    public double score(double[] x) {
        Points.requireValid(x, dimensions);
        return moments.count() < 2 ? 0.0 : relative.map(maxAbsZ(x));
    }

    @Override
    public void learn(double[] x) {
        Points.requireValid(x, dimensions);
        if (moments.count() >= 2) {
            relative.observe(maxAbsZ(x));
        }
        moments.add(x);
    }

    @Override
    public void attribute(double[] x, double[] out) {
        Points.requireValid(x, dimensions);
        for (int f = 0; f < dimensions; f++) {
            out[f] = moments.count() < 2 ? 0.0 : absZ(x, f);
        }
    }

    private double maxAbsZ(double[] x) {
        double max = 0;
        for (int f = 0; f < dimensions; f++) {
            max = Math.max(max, absZ(x, f));
        }
        return max;
    }

    /** |x_f - mean_f| / std_f, the standard deviation floored as the class comment says; needs two points. */
    private double absZ(double[] x, int f) {
        double mean = moments.mean(f);
        double floor = 1e-9 * Math.max(1.0, Math.abs(mean));
        return Math.abs(x[f] - mean) / Math.max(Math.sqrt(moments.sampleVariance(f)), floor);
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public long sizeInBytes() {
        return Sizes.OBJECT + moments.sizeInBytes() + Sizes.OBJECT;
    }
}
