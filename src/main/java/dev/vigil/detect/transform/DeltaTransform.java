package dev.vigil.detect.transform;

import dev.vigil.detect.Checks;
import dev.vigil.detect.Points;
import dev.vigil.detect.Sizes;
import dev.vigil.detect.Transform;

/**
 * Differencing ({@code delta}): each feature becomes its change since the key's previous point, which turns an
 * ever-growing counter (requests served, bytes sent) into the amount per point that a model can learn. The first
 * point of a key maps to zeros. Points carry no time the transform could divide by, so this is the increase per
 * point, not per second: with evenly spaced points the two differ by a constant factor.
 *
 * <p><b>Counter resets.</b> With {@code counter} true (the default) a feature that goes down is taken to be a
 * counter that restarted from zero (a process restart), as Prometheus's {@code rate()} does: its increase is its
 * new value, not a large negative step that would score as an anomaly. Set {@code counter} false for gauges
 * (temperature, queue length), where a decrease is a negative change.
 *
 * <p>{@link #transform} compares with the last learned point without remembering the new one;
 * {@link #learnTransform} remembers it. A checkpoint holds whether a point was seen, and that point
 * ({@link DeltaTransformState}).
 */
public final class DeltaTransform implements Transform {
    public static final boolean DEFAULT_COUNTER = true;

    private final int dimensions;
    final boolean counter;
    final double[] previous;
    boolean seen;
    private final double[] out;

    private DeltaTransform(int dimensions, boolean counter) {
        this.dimensions = dimensions;
        this.counter = counter;
        this.previous = new double[dimensions];
        this.out = new double[dimensions];
    }

    public static Builder builder() {
        return new Builder();
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
            double change = seen ? x[f] - previous[f] : 0.0;
            out[f] = counter && change < 0 ? x[f] : change;
        }
        return out;
    }

    @Override
    public double[] learnTransform(double[] x) {
        double[] change = transform(x);
        System.arraycopy(x, 0, previous, 0, dimensions);
        seen = true;
        return change;
    }

    @Override
    public long sizeInBytes() {
        return Sizes.OBJECT + Sizes.of(previous) + Sizes.of(out);
    }

    /** Settings; {@link #build} checks each and names the one that is wrong. */
    public static final class Builder {
        private boolean counter = DEFAULT_COUNTER;

        public Builder counter(boolean counter) {
            this.counter = counter;
            return this;
        }

        /** Every setting, canonical ({@code name=value} by name). */
        public String settings() {
            return "counter=" + counter;
        }

        /** A new transform for points of {@code dimensions} features; the builder can be reused. */
        public DeltaTransform build(int dimensions) {
            Checks.range("dimensions", dimensions, 1, Checks.MAX_DIMENSIONS);
            return new DeltaTransform(dimensions, counter);
        }
    }
}
