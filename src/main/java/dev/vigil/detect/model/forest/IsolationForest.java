package dev.vigil.detect.model.forest;

import dev.vigil.detect.Checks;
import dev.vigil.detect.Explainable;
import dev.vigil.detect.Points;
import dev.vigil.detect.Precision;
import dev.vigil.detect.Rng;
import dev.vigil.detect.Sizes;
import dev.vigil.detect.model.SlidingWindow;
import java.util.Arrays;

/**
 * Online isolation forest over a sliding window ({@code isolation_forest}).
 *
 * <p><b>Algorithm.</b> Isolation Forest (Liu, Ting and Zhou, ICDM 2008) made streaming the simple way: the
 * forest keeps the last {@code window_size} points; every {@code window_size / num_trees} learned points it
 * rebuilds its oldest tree from a fresh uniform sample of {@code sample_size} window points, round-robin. No
 * tree is older than one window, so the model follows drift, and every split is chosen from a full sample
 * (incremental trees that insert and delete points keep splits chosen from a handful of early points, and
 * were slower and less accurate in our prototype). While the window fills, trees are rebuilt more often (one
 * every {@code size / num_trees} points) so the forest is useful from the first points on.
 *
 * <p><b>Score.</b> The standard 2^(-E[h(x)] / c(n)): h(x) is the depth at which x lands in a leaf plus
 * c(leaf size), c(n) the average path length of n points, n the tree's sample size. About 0.5 for an ordinary
 * point, towards 1 for points isolated near the root, below 0.5 in dense regions. 0 until two points have
 * been learned. One refinement: plain isolation trees saturate outside the range of their samples (every
 * point beyond it lands in the same edge leaf, however far). For a point outside a tree's sample box, q is
 * the probability that a cut over the range extended to the point falls into the gap (a random feature, then a
 * uniform cut); a tree built with the point would meet that chance at every level, so the isolation depth is
 * geometric, truncated at the walked depth h: {@code E = (1 - (1 - q)^h) / q} levels. Each tree uses its own
 * sample's box (an earlier outlier in the window stretches few samples), and a point inside the intersection
 * of all boxes, most ordinary points, skips the check: it is scored exactly as plain isolation trees would.
 * With one feature (a metric stream's value) the trees' summed path is kept as one step function of the value
 * ({@link PathSumTable}) and searched instead of walking every tree: the same score, summed in fixed point, within
 * 1e-13 of the walk's, over three times as fast for many keys.
 *
 * <p><b>Attribution.</b> Per tree, the features' shares in isolating the point ({@link IsolationAttribution}:
 * guards it breaks, how much each split on its path narrowed its box, and the gaps outside the sample's box),
 * summed over the trees weighted by {@code 1 / path}: the trees that isolate the point early have the most say.
 *
 * <p><b>Degenerate input.</b> Features constant in a tree's sample are never split but guarded: a point that
 * differs there is isolated at the root. A window full of identical points (a stuck sensor) therefore scores
 * every different point as critical instead of crashing or answering 0.5.
 *
 * <p><b>Defaults.</b> {@code num_trees} 100, {@code window_size} 2048 (the reference's), {@code sample_size}
 * 256 (Liu et al.'s), {@code max_leaf_samples} 8. The reference library uses 32, but there it bounds leaves of
 * trees grown over the whole window; here it bounds leaves within a 256-point sample, and 8 measured a mean
 * ROC-AUC of 0.857 against 0.845 for 32 on the 14 benchmark sets. Their speeds differ by less than this
 * machine's run-to-run noise: each has measured faster than the other in one run (BENCHMARKS.md).
 *
 * <p><b>Memory.</b> What the forest holds, grown as it learns: the window ({@link SlidingWindow}, doubling up to
 * {@code window_size * d} values, floats or doubles as {@link Precision} says), the nodes of the trees as built,
 * packed, 16 bytes each, plus a quarter to a half for rebuilds ({@link IsolationNodeStore}), and the boxes and
 * guards of the trees built ({@code num_trees * d} at most). At the defaults and 4 features that is about 8 KB
 * after 5 points and 230 KB once the window is full, where the worst case of every tree (the bound of its size)
 * would take 0.75 MB; the worst case still bounds it. Growth happens while the window fills and at rebuilds,
 * never per point; {@link #sizeInBytes()} reports the arrays as they are.
 *
 * <p><b>Checkpoint.</b> {@link IsolationForestState}: the rebuild counters and random generator, the used part of
 * the window, the builder's slot permutation, and the nodes, guards and sample box of each built tree.
 */
public final class IsolationForest implements Explainable {
    public static final int DEFAULT_NUM_TREES = 100;
    public static final int DEFAULT_WINDOW_SIZE = 2048;
    public static final int DEFAULT_SAMPLE_SIZE = 256;
    public static final int DEFAULT_MAX_LEAF_SAMPLES = 8;
    public static final long DEFAULT_SEED = 42;
    /** Scores after a restore before a one-feature forest builds its table (which costs about 15 walks). */
    static final int POINTS_BEFORE_TABLE = 32;

    private final int dimensions;
    final int numTrees;
    final String settings;
    final SlidingWindow window;
    final IsolationNodeStore nodes;
    final IsolationTreeBuilder builder;
    final Rng rng;
    private final double[] pathScratch;
    /** One feature only: the trees' summed path as a step function, searched instead of walking every tree. */
    final PathSumTable pathSums;
    /**
     * Whether {@link #pathSums} holds the trees. A restore leaves it empty until the key has scored
     * {@link #POINTS_BEFORE_TABLE} points: a key that only passes through memory is walked, and never pays for it.
     */
    boolean pathSumsReady = true;
    private int scoredSinceRestore;

    int builtTrees;
    int nextTree;
    int sinceRebuild;
    /** {@link #sizeInBytes()} as last measured; -1 when it must be measured again. */
    private long measuredSize = -1;

    private IsolationForest(Builder b, int dimensions) {
        this.dimensions = dimensions;
        this.numTrees = b.numTrees;
        this.settings = b.settings();
        this.window = new SlidingWindow(b.windowSize, dimensions, b.precision);
        int sampleSize = Math.min(b.sampleSize, b.windowSize);
        this.nodes = new IsolationNodeStore(b.numTrees,
                IsolationTreeBuilder.maxNodes(sampleSize, b.maxLeafSamples), dimensions);
        this.builder = new IsolationTreeBuilder(nodes, window, sampleSize, b.maxLeafSamples);
        this.rng = new Rng(b.seed);
        this.pathScratch = new double[b.numTrees];
        this.pathSums = dimensions == 1 ? new PathSumTable(b.numTrees, nodes.maxNodesPerTree) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public double score(double[] point) {
        Points.requireValid(point, dimensions);
        if (builtTrees == 0) {
            return 0.0;
        }
        double[] x = window.atPrecision(point);
        double sum = pathSums == null ? walkedPathSum(x) : oneFeaturePathSum(x);
        double walked = sum / builtTrees;
        return Math.pow(2.0, -walked);
    }

    /** The relative path lengths of {@code x} (at the window's precision) summed over the trees, walking each. */
    double walkedPathSum(double[] x) {
        double sum = nodes.walk(x, builtTrees, pathScratch);
        if (!nodes.insideEveryBox(x)) {
            sum = 0;
            for (int t = 0; t < builtTrees; t++) {
                sum += outsideSample(t, x, pathScratch[t]);
            }
        }
        return sum;
    }

    private double oneFeaturePathSum(double[] x) {
        if (!pathSumsReady && ++scoredSinceRestore >= POINTS_BEFORE_TABLE) {
            pathSums.rebuild(nodes, builtTrees);
            pathSumsReady = true;
            measuredSize = -1;
        }
        return pathSumsReady ? tablePathSum(x) : walkedFixedPathSum(x);
    }

    /**
     * The path sum of a one-feature forest from its table: {@link #walkedFixedPathSum}, bit for bit. A point outside
     * a tree's sample box lands in one of the tree's edge leaves, which the table knows, so even then no tree is
     * walked: their share of the table's sum is swapped for their gap-corrected paths.
     */
    double tablePathSum(double[] x) {
        double v = x[0];
        long insideBoxes = pathSums.fixedSum(v);
        if (nodes.insideEveryBox(x)) {
            return PathSumTable.real(insideBoxes);
        }
        double outside = 0;
        for (int t = 0; t < builtTrees; t++) {
            if (outsideBox(t, v)) {
                if (!pathSums.atEdge(t, v)) {
                    return walkedFixedPathSum(x); // a split rounded to within an ulp of the box's edge
                }
                long edge = pathSums.edgePath(t, v);
                insideBoxes -= edge;
                outside += outsideSample(t, x, PathSumTable.real(edge));
            }
        }
        return PathSumTable.real(insideBoxes) + outside;
    }

    /**
     * {@link #walkedPathSum} with each tree's path in the table's fixed point (exact sums, whatever their order), as a
     * one-feature forest scores with or without its table.
     */
    double walkedFixedPathSum(double[] x) {
        nodes.walk(x, builtTrees, pathScratch);
        double v = x[0];
        boolean insideEveryBox = nodes.insideEveryBox(x);
        long insideBoxes = 0;
        double outside = 0;
        for (int t = 0; t < builtTrees; t++) {
            long path = PathSumTable.fixed(pathScratch[t]);
            if (insideEveryBox || !outsideBox(t, v)) {
                insideBoxes += path;
            } else {
                outside += outsideSample(t, x, PathSumTable.real(path));
            }
        }
        return PathSumTable.real(insideBoxes) + outside;
    }

    /** Whether the one feature's value {@code v} lies outside tree {@code t}'s sample box. */
    private boolean outsideBox(int t, double v) {
        return v < nodes.boxMin[t] || v > nodes.boxMax[t];
    }

    /**
     * Tree {@code t}'s relative path for a point outside its sample's box: each level's cut falls into the gap
     * with probability q, so the isolation depth is geometric, truncated at the walked depth h:
     * E = (1 - (1 - q)^h) / q levels.
     */
    private double outsideSample(int t, double[] x, double walkedRelative) {
        double q = nodes.gapProbability(t, x);
        if (q == 0) {
            return walkedRelative;
        }
        double norm = nodes.isolatedValue[t];
        double levels = walkedRelative / norm;
        if (q * levels < 0.05) {
            // Barely outside (most ordinary points that are): the expansion h (1 - q (h - 1) / 2) is within
            // 0.1 % of the exact value and spares the pow.
            return levels * (1 - q * (levels - 1) / 2) * norm;
        }
        return (1 - Math.pow(1 - q, levels)) / q * norm;
    }

    @Override
    public void attribute(double[] point, double[] out) {
        Points.requireValid(point, dimensions);
        Arrays.fill(out, 0, dimensions, 0.0);
        if (builtTrees == 0) {
            return;
        }
        if (pathSums != null && anyTreeSplits()) {
            // One feature has every tree's share, and a tree that splits splits on every point's path: it is all
            // of the score. Only a forest of single leaves (a few points) can leave it zero.
            out[0] = 1;
            return;
        }
        double[] x = window.atPrecision(point);
        nodes.walk(x, builtTrees, pathScratch);
        boolean inside = nodes.insideEveryBox(x);
        IsolationAttribution attribution = new IsolationAttribution(nodes);
        double[] shares = new double[dimensions];
        for (int t = 0; t < builtTrees; t++) {
            double walked = pathScratch[t];
            double path = inside ? walked : outsideSample(t, x, walked);
            attribution.shares(t, x, walked, path, shares);
            double weight = 1 / Math.max(path, 1e-9);
            for (int f = 0; f < dimensions; f++) {
                out[f] += weight * shares[f];
            }
        }
    }

    private boolean anyTreeSplits() {
        for (int t = 0; t < builtTrees; t++) {
            if (nodes.height[t] > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void learn(double[] x) {
        Points.requireValid(x, dimensions);
        int slots = window.slots();
        window.add(x);  // rounds to the window's precision itself
        if (window.slots() != slots) {
            measuredSize = -1;
        }
        int interval = Math.max(1, window.size() / numTrees);
        if (++sinceRebuild >= interval && window.size() >= 2) {
            boolean table = pathSums != null && pathSumsReady;
            if (table && nextTree < builtTrees) {
                pathSums.remove(nodes, nextTree);
            }
            builder.build(nextTree, rng);
            if (table) {
                pathSums.add(nodes, nextTree);
            }
            nextTree = nextTree + 1 == numTrees ? 0 : nextTree + 1;
            builtTrees = Math.max(builtTrees, nextTree == 0 ? numTrees : nextTree);
            nodes.refreshInnerBox(builtTrees);
            sinceRebuild = 0;
            measuredSize = -1;
        }
    }

    /** After a restore has set the trees: derives what is kept beside them. */
    void restored() {
        measuredSize = -1;
        nodes.refreshInnerBox(builtTrees);
        if (pathSums != null) {
            pathSumsReady = false;
            scoredSinceRestore = 0;
        }
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    /**
     * Measured again only after the arrays may have grown (a rebuild, the window's growth, a restore, the table
     * built after a restore): the memory budget asks after every key's run of points, and measuring reads some
     * twenty array headers out of the cache.
     */
    @Override
    public long sizeInBytes() {
        if (measuredSize < 0) {
            measuredSize = measureSize();
        }
        return measuredSize;
    }

    long measureSize() {
        return Sizes.OBJECT + window.sizeInBytes() + nodes.sizeInBytes() + builder.sizeInBytes()
                + Sizes.of(pathScratch) + Sizes.OBJECT + (pathSums == null ? 0 : pathSums.sizeInBytes());
    }

    /** Settings with the reference defaults; {@link #build()} checks each and names the one that is wrong. */
    public static final class Builder {
        private int numTrees = DEFAULT_NUM_TREES;
        private int windowSize = DEFAULT_WINDOW_SIZE;
        private int sampleSize = DEFAULT_SAMPLE_SIZE;
        private int maxLeafSamples = DEFAULT_MAX_LEAF_SAMPLES;
        private long seed = DEFAULT_SEED;
        private Precision precision = Precision.DEFAULT;

        public Builder numTrees(int numTrees) {
            this.numTrees = numTrees;
            return this;
        }

        public Builder windowSize(int windowSize) {
            this.windowSize = windowSize;
            return this;
        }

        public Builder sampleSize(int sampleSize) {
            this.sampleSize = sampleSize;
            return this;
        }

        public Builder maxLeafSamples(int maxLeafSamples) {
            this.maxLeafSamples = maxLeafSamples;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How the window keeps its points. */
        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /** Every effective setting, canonical ({@code name=value} by name): equal for models that can share state. */
        public String settings() {
            return "max_leaf_samples=" + maxLeafSamples + ",num_trees=" + numTrees + ",precision="
                    + precision.configName() + ",sample_size=" + Math.min(sampleSize, windowSize) + ",seed=" + seed
                    + ",window_size=" + windowSize;
        }

        public void validate() {
            Checks.range("num_trees", numTrees, 1, 10_000);
            Checks.range("window_size", windowSize, 2, 1_000_000);
            Checks.range("sample_size", sampleSize, 2, 1_000_000);
            Checks.range("max_leaf_samples", maxLeafSamples, 1, 1_000_000);
        }

        /** A new model for points of {@code dimensions} features; the builder can be reused. */
        public IsolationForest build(int dimensions) {
            Checks.range("dimensions", dimensions, 1, Checks.MAX_DIMENSIONS);
            validate();
            return new IsolationForest(this, dimensions);
        }
    }
}
