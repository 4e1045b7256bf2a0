package dev.vigil.detect.model.rcf;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.returntypes.DiVector;
import dev.vigil.detect.Checks;
import dev.vigil.detect.Explainable;
import dev.vigil.detect.Points;
import dev.vigil.detect.Precision;
import dev.vigil.detect.model.RelativeScore;

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
 * <p><b>Attribution.</b> RCF's own ({@link RandomCutForest#getAnomalyAttribution}): the score split over the
 * dimensions as a {@code DiVector}, the part due to the point lying above ({@code high}) and below ({@code low})
 * what the trees hold in each; a feature's contribution is the sum of the two.
 *
 * <p><b>Memory.</b> Bounded by the sample size: each tree holds at most {@code sample_size} leaves and the
 * shared point store at most {@code num_trees * sample_size} points. {@link #sizeInBytes()} estimates from
 * those bounds (float point store, per-node arrays and bounding-box cache). RCF keeps point values as floats
 * whatever {@link Precision} says, so {@code vigil.memory.precision} does not change this model.
 *
 * <p><b>Checkpoint.</b> {@link RandomCutForestDetectorState}: RCF's own state (its
 * {@code RandomCutForestMapper} with tree state and execution context saved; its point store, samplers and trees
 * are compact and hold only what is used), written field by field by {@link RandomCutForestDetectorStateCodec}.
 * Restoring rebuilds the forest with RCF's mapper: RCF 4.3 keeps the random seeds of its samplers and trees in
 * that state, so a restored forest gives exactly the scores of one that never stopped (tested). Without the tree
 * state the mapper would rebuild trees from the samples with fresh cuts, which scores differently; that is why it
 * is saved.
 */
public final class RandomCutForestDetector implements Explainable {
    public static final int DEFAULT_NUM_TREES = 50;
    public static final int DEFAULT_SAMPLE_SIZE = 256;
    public static final long DEFAULT_SEED = 42;

    private final int dimensions;
    final int numTrees;
    final int sampleSize;
    final String settings;
    RandomCutForest forest;

    private RandomCutForestDetector(Builder b, int dimensions) {
        this.dimensions = dimensions;
        this.numTrees = b.numTrees;
        this.sampleSize = b.sampleSize;
        this.settings = b.settings();
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
    public void attribute(double[] x, double[] out) {
        Points.requireValid(x, dimensions);
        DiVector attribution = forest.getAnomalyAttribution(x);
        for (int f = 0; f < dimensions; f++) {
            out[f] = attribution.getHighLowSum(f);
        }
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

        /** Every effective setting, canonical ({@code name=value} by name): equal for models that can share state. */
        public String settings() {
            return "num_trees=" + numTrees + ",sample_size=" + sampleSize + ",seed=" + seed;
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
