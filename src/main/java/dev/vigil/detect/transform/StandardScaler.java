package dev.vigil.detect.transform;

import dev.vigil.detect.Checks;
import dev.vigil.detect.RunningMoments;
import dev.vigil.detect.Sizes;
import dev.vigil.detect.Transform;

/**
 * Running standardisation ({@code scaler}): each feature becomes {@code (x - mean) / std}, with the population
 * variance of {@link RunningMoments} over every point learned. A feature with zero variance so far (it has
 * been constant) maps to 0. When learning, the point joins the statistics before it is transformed, as the
 * reference library does, so the very first point maps to zeros rather than to a division by zero.
 * Output feature i is input feature i rescaled, so a share of an explanation goes back to the same feature
 * unchanged: the default {@link Transform#attributeBack} is right here.
 * A checkpoint holds the count, and mean and M2 per feature ({@link StandardScalerState}).
 */
public final class StandardScaler implements Transform {
    private final int dimensions;
    final RunningMoments moments;
    private final double[] out;

    public StandardScaler(int dimensions) {
        Checks.range("dimensions", dimensions, 1, Checks.MAX_DIMENSIONS);
        this.dimensions = dimensions;
        this.moments = new RunningMoments(dimensions);
        this.out = new double[dimensions];
    }

    @Override
    public int inputDimensions() {
        return dimensions;
    }

    @Override
    public int outputDimensions() {
        return dimensions;
    }

    @Override
    public double[] transform(double[] x) {
        for (int f = 0; f < dimensions; f++) {
            double std = Math.sqrt(moments.populationVariance(f));
            out[f] = std > 0 ? (x[f] - moments.mean(f)) / std : 0.0;
        }
        return out;
    }

    @Override
    public double[] learnTransform(double[] x) {
        moments.add(x);
        return transform(x);
    }

    @Override
    public long sizeInBytes() {
        return Sizes.OBJECT + moments.sizeInBytes() + Sizes.of(out);
    }
}
