package dev.vigil.detect.transform;

import dev.vigil.detect.Checks;
import dev.vigil.detect.Sizes;
import dev.vigil.detect.Transform;

/**
 * Shingling ({@code shingle}): each point becomes the last {@code size} points of its key, so that a model scores
 * the recent shape of a series (a flat line, a changed period) rather than one value alone. The output holds
 * {@code size} blocks of the input's features, oldest first: block {@code j} is the point {@code size - 1 - j}
 * steps back, the last block the current point. Output dimension {@code size * d}.
 *
 * <p><b>Before {@code size} points.</b> Missing older points repeat the oldest point learned (or, before any,
 * the current point), so a fresh key looks like a steady series rather than one that jumped from zero.
 *
 * <p>{@link #transform} scores against the history without adding to it; {@link #learnTransform} adds the point
 * first. Both therefore give the same output for the same point. Only {@code size - 1} earlier points are kept,
 * in a ring; nothing is allocated per point. A checkpoint holds the kept points, oldest first
 * ({@link ShingleTransformState}).
 */
public final class ShingleTransform implements Transform {
    public static final int DEFAULT_SIZE = 8;
    public static final int MAX_SIZE = 1_000;

    private final int dimensions;
    final int size;
    /** Capacity in points: the earlier points a shingle needs besides the current one. */
    final int capacity;
    final double[] history;
    /** Ring position of the next point to keep. */
    int next;
    int filled;
    private final double[] out;

    private ShingleTransform(int dimensions, int size) {
        this.dimensions = dimensions;
        this.size = size;
        this.capacity = size - 1;
        this.history = new double[capacity * dimensions];
        this.out = new double[size * dimensions];
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
        return size * dimensions;
    }

    @Override
    public double[] transform(double[] x) {
        for (int j = 0; j < capacity; j++) {
            int back = capacity - j;
            if (filled == 0) {
                System.arraycopy(x, 0, out, j * dimensions, dimensions);
            } else {
                int slot = Math.floorMod(next - Math.min(back, filled), capacity);
                System.arraycopy(history, slot * dimensions, out, j * dimensions, dimensions);
            }
        }
        System.arraycopy(x, 0, out, capacity * dimensions, dimensions);
        return out;
    }

    @Override
    public double[] learnTransform(double[] x) {
        double[] shingle = transform(x);
        if (capacity > 0) {
            System.arraycopy(x, 0, history, next * dimensions, dimensions);
            next = (next + 1) % capacity;
            filled = Math.min(filled + 1, capacity);
        }
        return shingle;
    }

    /** Each input feature gets the attribution of all its lags. */
    @Override
    public double[] attributeBack(double[] outputAttribution) {
        double[] in = new double[dimensions];
        for (int i = 0; i < outputAttribution.length; i++) {
            in[i % dimensions] += outputAttribution[i];
        }
        return in;
    }

    @Override
    public long sizeInBytes() {
        return Sizes.OBJECT + Sizes.of(history) + Sizes.of(out);
    }

    /** Settings; {@link #build} checks each and names the one that is wrong. */
    public static final class Builder {
        private int size = DEFAULT_SIZE;

        public Builder size(int size) {
            this.size = size;
            return this;
        }

        /** Every setting, canonical ({@code name=value} by name). */
        public String settings() {
            return "size=" + size;
        }

        public void validate() {
            Checks.range("size", size, 1, MAX_SIZE);
        }

        /** A new transform for points of {@code dimensions} features; the builder can be reused. */
        public ShingleTransform build(int dimensions) {
            Checks.range("dimensions", dimensions, 1, Checks.MAX_DIMENSIONS);
            validate();
            Checks.range("size * dimensions", (long) size * dimensions, 1, Checks.MAX_DIMENSIONS);
            return new ShingleTransform(dimensions, size);
        }
    }
}
