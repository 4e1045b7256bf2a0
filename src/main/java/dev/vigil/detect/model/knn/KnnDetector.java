package dev.vigil.detect.model.knn;

import dev.vigil.detect.Checks;
import dev.vigil.detect.Explainable;
import dev.vigil.detect.Points;
import dev.vigil.detect.Precision;
import dev.vigil.detect.Sizes;
import dev.vigil.detect.model.RelativeScore;
import dev.vigil.detect.model.SlidingWindow;
import java.util.Arrays;
import java.util.function.DoublePredicate;

/**
 * Windowed k-nearest-neighbour distance ({@code knn}).
 *
 * <p><b>Algorithm.</b> The raw score of x is its mean Euclidean distance to its k nearest points among the
 * last {@code window_size} learned points (Ramaswamy, Rastogi and Shim, SIGMOD 2000, with the mean instead of
 * the k-th distance, as Angiulli and Pizzuti). Brute force over a flat window, {@value #BLOCK} slots at a time:
 * their squared distances are summed together (no data-dependent branch inside a point of up to 8 features, so
 * the processor overlaps the slots), longer points stop early once past the k-th best, and only then do the
 * candidates go through a bounded max-heap. For the default window of 1,000 this beats any index that must be
 * updated on every point. Distance models need comparable feature scales: put {@code scaler} in front of it.
 *
 * <p><b>Score.</b> {@link RelativeScore}: {@code 1 - 2^(-raw / (2 * typical raw))}, the typical raw being the
 * running mean over about one window of learned points. 0 before the first point is learned. Duplicates of
 * window points score 0; a window of identical points scores any different point 1.
 *
 * <p><b>Attribution.</b> Each feature's share of the squared distances from x to its k nearest points: the sum
 * over those neighbours of {@code (x_f - neighbour_f)^2}. The neighbours are searched again for it, with their
 * slots; only explained points pay that second search.
 *
 * <p><b>Memory.</b> The window, grown as points arrive (doubling, see {@link SlidingWindow}) up to
 * {@code window_size * d} values (floats or doubles, see {@link Precision}), plus k distances and one block's.
 * Nothing is allocated per point once the window is full, and only while it fills, a copy now and then.
 *
 * <p><b>Checkpoint.</b> {@link KnnState}: the used part of the window, and the running typical distance.
 */
public final class KnnDetector implements Explainable {
    public static final int DEFAULT_K = 10;
    public static final int DEFAULT_WINDOW_SIZE = 1000;
    private static final int BLOCK = 64;

    private final int dimensions;
    private final int k;
    final String settings;
    final SlidingWindow window;
    final RelativeScore relative;
    /** Max-heap of the squared distances of the nearest points found so far. */
    private final double[] nearest;
    /** Squared distances to one block of window slots, see {@link SlidingWindow#squaredDistances}. */
    private final double[] block;

    private KnnDetector(Builder b, int dimensions) {
        this.dimensions = dimensions;
        this.k = b.k;
        this.settings = b.settings();
        this.window = new SlidingWindow(b.windowSize, dimensions, b.precision);
        this.relative = new RelativeScore(b.windowSize);
        this.nearest = new double[b.k];
        this.block = new double[Math.min(BLOCK, b.windowSize)];
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public double score(double[] x) {
        Points.requireValid(x, dimensions);
        return window.size() == 0 ? 0.0 : relative.map(meanNearestDistance(window.atPrecision(x)));
    }

    @Override
    public void learn(double[] x) {
        Points.requireValid(x, dimensions);
        if (window.size() > 0) {
            relative.observe(meanNearestDistance(window.atPrecision(x)));
        }
        window.add(x);
    }

    @Override
    public double scoreLearn(double[] x) {
        Points.requireValid(x, dimensions);
        double score = 0.0;
        if (window.size() > 0) {
            double raw = meanNearestDistance(window.atPrecision(x));
            score = relative.map(raw);
            relative.observe(raw);
        }
        window.add(x);
        return score;
    }

    @Override
    public double scoreLearn(double[] x, DoublePredicate explainIf, double[] out) {
        Points.requireValid(x, dimensions);
        double score = 0.0;
        double raw = Double.NaN;
        if (window.size() > 0) {
            raw = meanNearestDistance(window.atPrecision(x));
            score = relative.map(raw);
        }
        if (explainIf.test(score)) {
            attribute(x, out);
        }
        if (window.size() > 0) {
            relative.observe(raw);
        }
        window.add(x);
        return score;
    }

    @Override
    public void attribute(double[] point, double[] out) {
        Points.requireValid(point, dimensions);
        Arrays.fill(out, 0, dimensions, 0.0);
        int n = window.size();
        if (n == 0) {
            return;
        }
        double[] x = window.atPrecision(point);
        int want = Math.min(k, n);
        int[] slots = new int[want];
        double[] distances = new double[want];
        int found = 0;
        for (int s = 0; s < n; s++) {
            double d = window.squaredDistance(x, s, Double.POSITIVE_INFINITY);
            if (found < want || d < distances[found - 1]) {
                // Insertion into the sorted nearest list; the later of equal points stays out.
                int i = found < want ? found++ : found - 1;
                for (; i > 0 && distances[i - 1] > d; i--) {
                    distances[i] = distances[i - 1];
                    slots[i] = slots[i - 1];
                }
                distances[i] = d;
                slots[i] = s;
            }
        }
        for (int slot : slots) {
            for (int f = 0; f < dimensions; f++) {
                double diff = x[f] - window.value(slot, f);
                out[f] += diff * diff;
            }
        }
    }

    /** {@code x} at the window's precision. */
    private double meanNearestDistance(double[] x) {
        int n = window.size();
        int want = Math.min(k, n);
        int found = 0;
        double bound = Double.POSITIVE_INFINITY; // the k-th best squared distance once k are found
        for (int from = 0; from < n; from += block.length) {
            int count = Math.min(block.length, n - from);
            // The k-th best only shrinks within a block, so a partial sum past it at the block's start is out.
            long partial = window.squaredDistances(x, from, count, bound, block);
            for (int i = 0; i < count; i++) {
                double sum = block[i];
                if (found < want) {
                    siftUp(found++, sum);
                    bound = found == want ? nearest[0] : bound;
                } else if (sum < bound) {
                    if ((partial >>> i & 1) != 0) {
                        // A partial sum below the k-th best: that grew within the block, which only a NaN distance
                        // in the heap can cause (float32 overflow). Decide on the whole distance, as before.
                        sum = window.squaredDistance(x, from + i, Double.POSITIVE_INFINITY);
                        if (!(sum < bound)) {
                            continue;
                        }
                    }
                    replaceTop(want, sum);
                    bound = nearest[0];
                }
            }
        }
        double total = 0;
        for (int i = 0; i < want; i++) {
            total += Math.sqrt(nearest[i]);
        }
        return total / want;
    }

    private void siftUp(int i, double value) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (nearest[parent] >= value) {
                break;
            }
            nearest[i] = nearest[parent];
            i = parent;
        }
        nearest[i] = value;
    }

    private void replaceTop(int size, double value) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                break;
            }
            int larger = left + 1 < size && nearest[left + 1] > nearest[left] ? left + 1 : left;
            if (nearest[larger] <= value) {
                break;
            }
            nearest[i] = nearest[larger];
            i = larger;
        }
        nearest[i] = value;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public long sizeInBytes() {
        return Sizes.OBJECT + window.sizeInBytes() + Sizes.of(nearest) + Sizes.of(block) + 2 * Sizes.OBJECT;
    }

    /** Settings with the reference defaults; {@link #build()} checks each and names the one that is wrong. */
    public static final class Builder {
        private int k = DEFAULT_K;
        private int windowSize = DEFAULT_WINDOW_SIZE;
        private Precision precision = Precision.DEFAULT;

        public Builder k(int k) {
            this.k = k;
            return this;
        }

        public Builder windowSize(int windowSize) {
            this.windowSize = windowSize;
            return this;
        }

        /** How the window keeps its points. */
        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /** Every effective setting, canonical ({@code name=value} by name): equal for models that can share state. */
        public String settings() {
            return "k=" + k + ",precision=" + precision.configName() + ",window_size=" + windowSize;
        }

        public void validate() {
            Checks.range("k", k, 1, 10_000);
            Checks.range("window_size", windowSize, 1, 1_000_000);
            if (k > windowSize) {
                throw new IllegalArgumentException("k must not exceed window_size (" + windowSize + "), was " + k);
            }
        }

        /** A new model for points of {@code dimensions} features; the builder can be reused. */
        public KnnDetector build(int dimensions) {
            Checks.range("dimensions", dimensions, 1, Checks.MAX_DIMENSIONS);
            validate();
            return new KnnDetector(this, dimensions);
        }
    }
}
