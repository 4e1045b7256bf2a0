package dev.vigil.detect.model.rcf;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.returntypes.DiVector;
import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
import dev.vigil.detect.Checks;
import dev.vigil.detect.Explainable;
import dev.vigil.detect.Points;
import dev.vigil.detect.Precision;
import dev.vigil.detect.model.RelativeScore;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

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
 * <p><b>Checkpoint.</b> Header, then RCF's own state ({@link RandomCutForestMapper} with tree state and
 * execution context saved; its point store, samplers and trees are compact and hold only what is used) written
 * field by field by {@link RandomCutForestStates}. Restoring rebuilds the forest with the mapper: RCF 4.3 keeps
 * the random seeds of its samplers and trees in that state, so a restored forest gives exactly the scores of
 * one that never stopped (tested). Without the tree state the mapper would rebuild trees from the samples with
 * fresh cuts, which scores differently; that is why it is saved.
 */
public final class RandomCutForestDetector implements Explainable {
    public static final int DEFAULT_NUM_TREES = 50;
    public static final int DEFAULT_SAMPLE_SIZE = 256;
    public static final long DEFAULT_SEED = 42;

    private static final String STATE_TAG = "random_cut_forest/1";

    private final int dimensions;
    private final int numTrees;
    private final int sampleSize;
    private final String settings;
    private RandomCutForest forest;

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

    @Override
    public void writeState(DataOutput out) throws IOException {
        StateIo.writeHeader(out, StateIo.header(STATE_TAG, dimensions, settings));
        // Deflated: every tree repeats the same few hundred bytes of settings, which would dominate a young forest.
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (DataOutputStream deflated = new DataOutputStream(new DeflaterOutputStream(packed))) {
            states().write(deflated, mapper().toState(forest));
        }
        out.writeInt(packed.size());
        out.write(packed.toByteArray());
    }

    @Override
    public void readState(DataInput in) throws IOException {
        StateIo.readHeader(in, StateIo.header(STATE_TAG, dimensions, settings));
        byte[] packed = new byte[StateIo.readCount(in, "random cut forest state bytes", 0, maxStateLength())];
        in.readFully(packed);
        RandomCutForestState state;
        try (DataInputStream inflated = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(packed)))) {
            state = states().read(inflated);
        }
        if (state.getDimensions() != dimensions || state.getNumberOfTrees() != numTrees
                || state.getSampleSize() != sampleSize) {
            throw new CheckpointFormatException("random cut forest state of " + state.getDimensions()
                    + " dimensions, " + state.getNumberOfTrees() + " trees, sample size " + state.getSampleSize()
                    + " under a header of " + dimensions + ", " + numTrees + ", " + sampleSize);
        }
        try {
            forest = mapper().toModel(state);
        } catch (RuntimeException e) {
            throw new CheckpointFormatException("random cut forest state is inconsistent: " + e.getMessage(), e);
        }
    }

    private static RandomCutForestMapper mapper() {
        RandomCutForestMapper mapper = new RandomCutForestMapper();
        mapper.setSaveTreeStateEnabled(true);
        mapper.setSaveExecutorContextEnabled(true);
        return mapper;
    }

    private RandomCutForestStates states() {
        return new RandomCutForestStates(maxStateLength());
    }

    /** A generous bound on any array, and on the whole state, of a forest of this configuration. */
    private int maxStateLength() {
        long points = (long) numTrees * sampleSize + 1;
        return (int) Math.min(Integer.MAX_VALUE - 8, 64 * points * (dimensions + 2) + 65536);
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
