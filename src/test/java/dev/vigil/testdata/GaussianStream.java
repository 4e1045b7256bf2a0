package dev.vigil.testdata;

import dev.vigil.detect.Rng;

/**
 * Seeded synthetic points shared by tests and benchmarks: a mixture of a few Gaussian clusters with unit
 * variance, their centres drawn uniformly in [-5, 5] per feature; and far outliers to inject.
 */
public final class GaussianStream {
    private final int dimensions;
    private final double[][] centres;
    private final Rng rng;

    public GaussianStream(int dimensions, int clusters, long seed) {
        this.dimensions = dimensions;
        this.rng = new Rng(seed);
        this.centres = new double[clusters][dimensions];
        for (double[] c : centres) {
            for (int f = 0; f < dimensions; f++) {
                c[f] = 10 * rng.nextDouble() - 5;
            }
        }
    }

    /** The next ordinary point. */
    public double[] next() {
        double[] centre = centres[rng.nextInt(centres.length)];
        double[] x = new double[dimensions];
        for (int f = 0; f < dimensions; f++) {
            x[f] = centre[f] + rng.nextGaussian();
        }
        return x;
    }

    /** {@code n} ordinary points as one array each. */
    public double[][] next(int n) {
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            points[i] = next();
        }
        return points;
    }

    /** A point {@code distance} units from every cluster centre's bounding box along a random diagonal. */
    public double[] outlier(double distance) {
        double[] x = new double[dimensions];
        for (int f = 0; f < dimensions; f++) {
            x[f] = (rng.nextDouble() < 0.5 ? -1 : 1) * (5 + distance);
        }
        return x;
    }
}
