package dev.vigil.detect.model.forest;

import dev.vigil.detect.Rng;
import dev.vigil.detect.Sizes;
import dev.vigil.detect.model.SlidingWindow;
import java.util.Arrays;

/**
 * Builds one isolation tree at a time into an {@link IsolationNodeStore}, from a uniform sample (without
 * replacement) of the points currently in the window. Allocation-free: the sample is a slice of a persistent
 * permutation of window slots and is partitioned in place while the tree grows.
 *
 * <p>A node becomes a leaf when it holds at most {@code maxLeafSamples} points, reaches the height limit
 * ceil(log2 sampleSize), or all its points are identical; otherwise it splits a random feature that varies in
 * the node at a uniform value between the node's minimum and maximum of that feature. Features constant over
 * the whole sample are never split; they become the tree's guards instead.
 */
final class IsolationTreeBuilder {
    private final IsolationNodeStore store;
    private final SlidingWindow window;
    private final int dimensions;
    private final int sampleSize;
    private final int maxLeafSamples;
    private final int heightLimit;
    /** c(n) for n in [0, sampleSize]. */
    private final double[] averagePath;

    /**
     * A permutation of the window slots in use, [0, poolSize); its prefix is the current sample. Grown with the
     * window's slots. The one thing here a later build depends on, so the forest's checkpoint holds it; everything
     * else is scratch of one build.
     */
    int[] pool;
    int poolSize;
    private final int[] sample;
    private final int[] varying;
    private int varyingCount;

    private int nextFree;
    private int treeHeight;
    private double norm;
    private int chosenFeature;
    private double chosenValue;

    IsolationTreeBuilder(IsolationNodeStore store, SlidingWindow window, int sampleSize, int maxLeafSamples) {
        this.store = store;
        this.window = window;
        this.dimensions = window.dimensions();
        this.sampleSize = sampleSize;
        this.maxLeafSamples = maxLeafSamples;
        this.heightLimit = IsolationMath.ceilLog2(sampleSize);
        this.averagePath = new double[sampleSize + 1];
        for (int n = 0; n <= sampleSize; n++) {
            averagePath[n] = IsolationMath.averagePathLength(n);
        }
        this.pool = new int[window.slots()];
        this.sample = new int[sampleSize];
        this.varying = new int[dimensions];
    }

    /** Upper bound of the nodes one tree can use: the store never needs more than this per tree. */
    static int maxNodes(int sampleSize, int maxLeafSamples) {
        return maxNodes(sampleSize, maxLeafSamples, IsolationMath.ceilLog2(sampleSize));
    }

    /** Upper bound of the nodes of a tree of {@code points} sample points, inner nodes above {@code heightLimit}. */
    private static int maxNodes(int points, int maxLeafSamples, int heightLimit) {
        // Inner nodes on one level hold disjoint sets of more than maxLeafSamples points each.
        long inner = Math.min(points - 1L, (long) heightLimit * (points / (maxLeafSamples + 1)));
        return (int) (2 * Math.max(inner, 0) + 1);
    }

    /** Rebuilds tree {@code tree} from a fresh sample of the window; the window must hold two points or more. */
    void build(int tree, Rng rng) {
        int available = window.size();
        if (pool.length < available) {
            pool = Arrays.copyOf(pool, window.slots());
        }
        while (poolSize < available) {
            pool[poolSize] = poolSize;
            poolSize++;
        }
        int m = Math.min(sampleSize, available);
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(available - i);
            int slot = pool[j];
            pool[j] = pool[i];
            pool[i] = slot;
            sample[i] = slot;
        }
        int root = store.startTree(tree, maxNodes(m, maxLeafSamples, heightLimit));
        findGuards(tree, m);
        norm = averagePath[m];
        store.isolatedValue[tree] = 1.0 / norm;
        nextFree = root + 1;
        treeHeight = 0;
        buildNode(root, 0, m, 0, rng);
        store.endTree(tree, nextFree - root, treeHeight);
    }

    /**
     * Records the sample's bounding box and splits its features into varying ones (split candidates) and
     * constant ones (guards).
     */
    private void findGuards(int tree, int m) {
        int guardBase = tree * dimensions;
        int guards = 0;
        varyingCount = 0;
        for (int f = 0; f < dimensions; f++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < m; i++) {
                double v = window.value(sample[i], f);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            store.boxMin[guardBase + f] = min;
            store.boxMax[guardBase + f] = max;
            if (min == max) {
                store.guardFeature[guardBase + guards] = f;
                store.guardValue[guardBase + guards] = min;
                guards++;
            } else {
                varying[varyingCount++] = f;
            }
        }
        store.guardCount[tree] = guards;
    }

    private void buildNode(int node, int lo, int hi, int depth, Rng rng) {
        int n = hi - lo;
        if (n <= maxLeafSamples || depth >= heightLimit || varyingCount == 0 || !chooseSplit(lo, hi, rng)) {
            store.setLeaf(node, (depth + averagePath[n]) / norm);
            treeHeight = Math.max(treeHeight, depth);
            return;
        }
        int f = chosenFeature;
        double value = chosenValue;
        int mid = lo;
        for (int i = lo; i < hi; i++) {
            int slot = sample[i];
            if (window.value(slot, f) < value) {
                sample[i] = sample[mid];
                sample[mid++] = slot;
            }
        }
        int left = nextFree;
        nextFree += 2;
        store.setSplit(node, f, value, left);
        buildNode(left, lo, mid, depth + 1, rng);
        buildNode(left + 1, mid, hi, depth + 1, rng);
    }

    /**
     * Picks a feature that varies within the node and a split strictly inside its range. A few random draws
     * first (the usual case), then a scan from a random start so that a node where most features are
     * constant still finds the one that is not. Returns false when every point of the node is identical.
     */
    private boolean chooseSplit(int lo, int hi, Rng rng) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (tryFeature(varying[rng.nextInt(varyingCount)], lo, hi, rng)) {
                return true;
            }
        }
        int start = rng.nextInt(varyingCount);
        for (int k = 0; k < varyingCount; k++) {
            if (tryFeature(varying[(start + k) % varyingCount], lo, hi, rng)) {
                return true;
            }
        }
        return false;
    }

    private boolean tryFeature(int f, int lo, int hi, Rng rng) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = lo; i < hi; i++) {
            double v = window.value(sample[i], f);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (!(min < max)) {
            return false;
        }
        double value = min + rng.nextDouble() * (max - min);
        // Keep the minimum on the left so both children are non-empty, even where rounding lands on it.
        chosenValue = value > min ? value : Math.nextUp(min);
        chosenFeature = f;
        return true;
    }

    long sizeInBytes() {
        return Sizes.OBJECT + Sizes.of(averagePath) + Sizes.of(pool) + Sizes.of(sample) + Sizes.of(varying);
    }
}
