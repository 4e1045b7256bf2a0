package dev.vigil.detect;

/**
 * Welford's online mean and sum of squared deviations (M2) per feature, over every point added: the running
 * statistics the {@code scaler} transform and the {@code zscore} model share. Numerically stable for long streams
 * and large offsets; three doubles per feature, no allocation per point.
 */
public final class RunningMoments {
    private final double[] mean;
    private final double[] m2;
    private long count;

    public RunningMoments(int dimensions) {
        this.mean = new double[dimensions];
        this.m2 = new double[dimensions];
    }

    public void add(double[] x) {
        count++;
        for (int f = 0; f < mean.length; f++) {
            double delta = x[f] - mean[f];
            mean[f] += delta / count;
            m2[f] += delta * (x[f] - mean[f]);
        }
    }

    public long count() {
        return count;
    }

    public double mean(int f) {
        return mean[f];
    }

    /** The variance of feature {@code f} over the points added (divided by n); 0 before the first point. */
    public double populationVariance(int f) {
        return count == 0 ? 0 : m2[f] / count;
    }

    /** The unbiased variance estimate (divided by n - 1); needs two points. */
    public double sampleVariance(int f) {
        return m2[f] / (count - 1);
    }

    /** A copy of the means, for a checkpoint. */
    public double[] means() {
        return mean.clone();
    }

    /** A copy of the M2 sums, for a checkpoint. */
    public double[] m2s() {
        return m2.clone();
    }

    /** Replaces the statistics with a checkpoint's; the arrays must have this instance's dimension. */
    public void restore(long count, double[] means, double[] m2s) {
        this.count = count;
        System.arraycopy(means, 0, mean, 0, mean.length);
        System.arraycopy(m2s, 0, m2, 0, m2.length);
    }

    public long sizeInBytes() {
        return Sizes.OBJECT + Sizes.of(mean) + Sizes.of(m2);
    }
}
