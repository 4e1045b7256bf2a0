package dev.vigil.detect.model;

import dev.vigil.detect.Precision;
import dev.vigil.detect.Sizes;
import java.util.Arrays;

/**
 * The last {@code capacity} points as one flat ring, {@code capacity * dimensions} values: no object per point,
 * and adding a point is one array copy. Slot {@code s} holds its point at {@code [s * dimensions, + dimensions)};
 * while the window fills, the used slots are {@code [0, size())}, afterwards every slot is used and the oldest is
 * overwritten next.
 *
 * <p>The values are kept at the window's {@link Precision}: a {@code double[]} or a {@code float[]}, exactly one
 * of the two. The loops that read many values (distances) are written once per storage, so neither pays a
 * branch or a conversion array per value.
 *
 * <p>The array grows with the points, from {@value #FIRST_SLOTS} slots, doubling up to {@code capacity}: most
 * entity keys of a fleet see few points, and a window allocated at capacity would hold mostly nothing. Growth
 * happens only while the window fills (about log2(capacity / {@value #FIRST_SLOTS}) copies in its life); once
 * full it never allocates again. Used slots stay {@code [0, size())} while filling, so growing is one copy.
 *
 * <p>Its state is checkpointed through {@link SlidingWindowStateMapper}, which reads the package-private fields.
 */
public final class SlidingWindow {
    public static final int FIRST_SLOTS = 8;
    /** Features summed between two early-exit tests in {@link #squaredDistances}. */
    static final int EXIT_EVERY = 8;

    private final int capacity;
    private final int dimensions;
    private final Precision precision;
    /** Room for {@code slots} points; one of the two is null. */
    double[] doubles;
    float[] floats;
    int slots;
    /** The last point given to {@link #atPrecision}, rounded to float, as doubles and as floats (float32 only). */
    private final double[] rounded;
    private final float[] query;
    int next;
    int size;

    public SlidingWindow(int capacity, int dimensions, Precision precision) {
        this.capacity = capacity;
        this.dimensions = dimensions;
        this.precision = precision;
        Math.multiplyExact(capacity, dimensions); // the full window must be addressable
        boolean single = precision == Precision.FLOAT32;
        allocate(slotsFor(1));
        this.rounded = single ? new double[dimensions] : null;
        this.query = single ? new float[dimensions] : null;
    }

    /**
     * {@code x} as this window would keep it: {@code x} itself in float64; in float32 a copy rounded to float,
     * valid until the next call. A model compares points at this precision, so a point equal to a stored one
     * (a stuck sensor) matches it exactly, as in float64. One pass over the point, no allocation.
     */
    public double[] atPrecision(double[] x) {
        if (rounded == null) {
            return x;
        }
        for (int f = 0; f < dimensions; f++) {
            query[f] = (float) x[f];
            rounded[f] = query[f];
        }
        return rounded;
    }

    /** Copies {@code x} into the window, replacing the oldest point once full; returns the slot used. */
    public int add(double[] x) {
        if (size == slots && slots < capacity) {
            allocate(slotsFor(size + 1));
        }
        int slot = next;
        int base = slot * dimensions;
        if (floats != null) {
            for (int f = 0; f < dimensions; f++) {
                floats[base + f] = (float) x[f];
            }
        } else {
            System.arraycopy(x, 0, doubles, base, dimensions);
        }
        next = next + 1 == capacity ? 0 : next + 1;
        if (size < capacity) {
            size++;
        }
        return slot;
    }

    /** Feature {@code f} of the point in slot {@code slot}. */
    public double value(int slot, int f) {
        int i = slot * dimensions + f;
        return floats != null ? floats[i] : doubles[i];
    }

    /** Copies the point in slot {@code slot} to {@code out[offset ...]}. */
    public void copy(int slot, double[] out, int offset) {
        int base = slot * dimensions;
        if (floats != null) {
            for (int f = 0; f < dimensions; f++) {
                out[offset + f] = floats[base + f];
            }
        } else {
            System.arraycopy(doubles, base, out, offset, dimensions);
        }
    }

    /**
     * Squared Euclidean distance from {@code x} to the point in slot {@code slot}, or any value of at least
     * {@code bound} once the partial sum reaches it (partial-distance early exit). {@code x} must be what
     * {@link #atPrecision} returned last: in float32 the loop runs on its float copy, all in float, which keeps it
     * as fast as the float64 loop (widening each stored value to double cost about 5 % in knn).
     */
    public double squaredDistance(double[] x, int slot, double bound) {
        int base = slot * dimensions;
        double sum = 0;
        if (floats != null) {
            if (x != rounded) {
                throw new IllegalArgumentException("the query must come from atPrecision");
            }
            float[] q = query;
            float fsum = 0;
            float fbound = (float) bound;
            for (int f = 0; f < dimensions && fsum < fbound; f++) {
                float diff = q[f] - floats[base + f];
                fsum += diff * diff;
            }
            sum = fsum;
        } else {
            for (int f = 0; f < dimensions && sum < bound; f++) {
                double diff = x[f] - doubles[base + f];
                sum += diff * diff;
            }
        }
        return sum;
    }

    /**
     * Squared Euclidean distances from {@code x} to the points in slots {@code [from, from + count)}, into
     * {@code out[0, count)}, {@code count} at most 64: each summed feature by feature in the same order and
     * precision as {@link #squaredDistance(double[], int, double)}, so a complete distance is bit for bit the same.
     * A whole block at a time, with no test inside the first {@value #EXIT_EVERY} features, keeps the loop free of
     * unpredictable branches: a small point is summed in full (cheaper than the early exit it replaces), a long one
     * stops after any multiple of {@value #EXIT_EVERY} features once the partial sum reaches {@code bound}.
     *
     * @return bit {@code i} set when {@code out[i]} is such a partial sum (not below {@code bound}), not the distance
     */
    public long squaredDistances(double[] x, int from, int count, double bound, double[] out) {
        if (count > Long.SIZE) {
            throw new IllegalArgumentException("at most " + Long.SIZE + " slots at a time, was " + count);
        }
        return floats != null
                ? squaredDistancesFloat(requireQuery(x), from, count, (float) bound, out)
                : squaredDistancesDouble(x, from, count, bound, out);
    }

    private long squaredDistancesFloat(float[] q, int from, int count, float bound, double[] out) {
        long partial = 0;
        int base = from * dimensions;
        for (int i = 0; i < count; i++, base += dimensions) {
            float sum = 0;
            for (int f = 0; f < dimensions; ) {
                int end = Math.min(f + EXIT_EVERY, dimensions);
                for (; f < end; f++) {
                    float diff = q[f] - floats[base + f];
                    sum += diff * diff;
                }
                if (f < dimensions && !(sum < bound)) {
                    partial |= 1L << i;
                    break;
                }
            }
            out[i] = sum;
        }
        return partial;
    }

    private long squaredDistancesDouble(double[] x, int from, int count, double bound, double[] out) {
        long partial = 0;
        int base = from * dimensions;
        for (int i = 0; i < count; i++, base += dimensions) {
            double sum = 0;
            for (int f = 0; f < dimensions; ) {
                int end = Math.min(f + EXIT_EVERY, dimensions);
                for (; f < end; f++) {
                    double diff = x[f] - doubles[base + f];
                    sum += diff * diff;
                }
                if (f < dimensions && !(sum < bound)) {
                    partial |= 1L << i;
                    break;
                }
            }
            out[i] = sum;
        }
        return partial;
    }

    /** The float copy of {@code x}, which must be what {@link #atPrecision} returned last. */
    private float[] requireQuery(double[] x) {
        if (x != rounded) {
            throw new IllegalArgumentException("the query must come from atPrecision");
        }
        return query;
    }

    /**
     * Squared Euclidean distance between the points in slots {@code a} and {@code b}. In float32 it is summed in
     * float: the JIT vectorises that loop, while widening every value to double made the SVM's kernel rows (this
     * method's main use) half as fast as in float64.
     */
    public double squaredDistance(int a, int b) {
        int ba = a * dimensions;
        int bb = b * dimensions;
        double sum = 0;
        if (floats != null) {
            float fsum = 0;
            for (int f = 0; f < dimensions; f++) {
                float diff = floats[ba + f] - floats[bb + f];
                fsum += diff * diff;
            }
            sum = fsum;
        } else {
            for (int f = 0; f < dimensions; f++) {
                double diff = doubles[ba + f] - doubles[bb + f];
                sum += diff * diff;
            }
        }
        return sum;
    }

    /**
     * Slots allocated for a window of {@code points} points: {@value #FIRST_SLOTS}, doubled until they hold them, at
     * most {@code capacity}. A restored window takes the same as the one that wrote it, so their sizes agree.
     */
    int slotsFor(int points) {
        int n = Math.min(FIRST_SLOTS, capacity);
        while (n < points) {
            n = (int) Math.min(2L * n, capacity);
        }
        return n;
    }

    /** Resizes the array to {@code n} slots, keeping the first {@code min(size, n)} points. */
    void allocate(int n) {
        if (precision == Precision.FLOAT32) {
            floats = floats == null ? new float[n * dimensions] : Arrays.copyOf(floats, n * dimensions);
        } else {
            doubles = doubles == null ? new double[n * dimensions] : Arrays.copyOf(doubles, n * dimensions);
        }
        slots = n;
    }

    public int size() {
        return size;
    }

    /** Slots allocated now: at least {@link #size()}, at most {@link #capacity()}. */
    public int slots() {
        return slots;
    }

    public int capacity() {
        return capacity;
    }

    public int dimensions() {
        return dimensions;
    }

    public Precision precision() {
        return precision;
    }

    public long sizeInBytes() {
        return Sizes.OBJECT + Sizes.of(doubles) + Sizes.of(floats) + Sizes.of(rounded) + Sizes.of(query);
    }
}
