package dev.vigil.detect;

import com.amazon.randomcutforest.RandomCutForest;

/**
 * AWS Random Cut Forest ({@code random_cut_forest}), through {@code randomcutforest-core}: a proven
 * streaming alternative, and the peer every Vigil benchmark measures in the same run.
 *
 * <p><b>Algorithm.</b> Guha et al., "Robust Random Cut Forest Based Anomaly Detection on Streams", ICML 2016:
 * trees over reservoir samples, cuts chosen in proportion to each dimension's range, score from the expected
 * change of model complexity ("displacement") when the point is inserted.
 *
 * <p><b>Score.</b> RCF's raw score is about 1 for ordinary points and grows for outliers (0 until the forest
 * has seen a quarter of its sample size). Mapped as {@code 1 - 2^(-raw / 2)}: raw 1 gives 0.29, raw 2 gives
 * 0.5, raw 3.5 gives 0.7, raw 6.6 gives 0.9, the same curve as {@link RelativeScore} with a typical value of 1.
 *
 * <p><b>Memory.</b> Bounded by the sample size: each tree holds at most {@code sample_size} leaves and the
 * shared point store at most {@code num_trees * sample_size} points. {@link #sizeInBytes()} estimates from
 * those bounds (float point store, per-node arrays and bounding-box cache).
 */
public final class RandomCutForestDetector implements Detector {
    public static final int DEFAULT_NUM_TREES = 50;
    public static final int DEFAULT_SAMPLE_SIZE = 256;
    public static final long DEFAULT_SEED = 42;

    private final int dimensions;
    private final int numTrees;
    private final int sampleSize;
    private final RandomCutForest forest;

    private RandomCutForestDetector(Builder b, int dimensions) {
        this.dimensions = dimensions;
        this.numTrees = b.numTrees;
        this.sampleSize = b.sampleSize;
        this.forest = RandomCutForest.builder()
                .dimensions(dimensions)
                .numberOfTrees(b.numTrees)
                .sampleSize(b.sampleSize)
                .randomSeed(b.seed)
                .parallelExecutionEnabled(false)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public double score(double[] x) {
        Points.requireValid(x, dimensions);
        return 1.0 - Math.pow(2.0, -forest.getAnomalyScore(x) / 2.0);
    }

    @Override
    public void learn(double[] x) {
        Points.requireValid(x, dimensions);
        forest.update(x);
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public long sizeInBytes() {
        long points = (long) numTrees * sampleSize;
        long pointStore = points * dimensions * 4L + points * 8L;
        long nodesPerTree = 2L * sampleSize;
        long boxCache = nodesPerTree * dimensions * 2L * 4L;
        long nodeArrays = nodesPerTree * 6L * 4L;
        return pointStore + numTrees * (boxCache + nodeArrays + 256);
    }

    /** Settings with RCF's own defaults; {@link #build()} checks each and names the one that is wrong. */
    public static final class Builder {
        private int numTrees = DEFAULT_NUM_TREES;
        private int sampleSize = DEFAULT_SAMPLE_SIZE;
        private long seed = DEFAULT_SEED;

        public Builder numTrees(int numTrees) {
            this.numTrees = numTrees;
            return this;
        }

        public Builder sampleSize(int sampleSize) {
            this.sampleSize = sampleSize;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public void validate() {
            Checks.range("num_trees", numTrees, 1, 10_000);
            Checks.range("sample_size", sampleSize, 4, 1_000_000);
        }

        /** A new model for points of {@code dimensions} features; the builder can be reused. */
        public RandomCutForestDetector build(int dimensions) {
            Checks.range("dimensions", dimensions, 1, Checks.MAX_DIMENSIONS);
            validate();
            return new RandomCutForestDetector(this, dimensions);
        }
    }
}
