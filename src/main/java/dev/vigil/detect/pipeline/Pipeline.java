package dev.vigil.detect.pipeline;

import dev.vigil.detect.Detector;
import dev.vigil.detect.Explainable;
import dev.vigil.detect.Points;
import dev.vigil.detect.Sizes;
import dev.vigil.detect.Transform;
import dev.vigil.detect.state.StateIo;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.DoublePredicate;

/**
 * Transforms followed by a model, as one {@link Detector} over raw points: each transform learns and transforms
 * in turn, then the model scores (and learns) the result. Points are checked once here, before any transform
 * sees them. Its checkpoint is a header naming the stages, then each transform's state in order, then the model's.
 */
public final class Pipeline implements Detector {
    /**
     * Version of the pipeline state as a whole; raise it whenever the format of any part changes (each part also
     * carries its own tag), so {@link PipelineSpec#fingerprint()} changes with it.
     */
    public static final int STATE_FORMAT = 1;
    private static final String STATE_TAG = "pipeline/" + STATE_FORMAT;

    private final String description;
    private final int dimensions;
    private final Transform[] transforms;
    private final Detector model;
    /** The model's attribution before it passes back through the transforms; allocated on the first explanation. */
    private double[] modelAttribution;

    public Pipeline(String description, int dimensions, Transform[] transforms, Detector model) {
        this.description = description;
        this.dimensions = dimensions;
        this.transforms = transforms.clone();
        this.model = model;
    }

    @Override
    public double score(double[] x) {
        Points.requireValid(x, dimensions);
        double[] y = x;
        for (Transform t : transforms) {
            y = t.transform(y);
        }
        return model.score(y);
    }

    @Override
    public void learn(double[] x) {
        Points.requireValid(x, dimensions);
        double[] y = x;
        for (Transform t : transforms) {
            y = t.learnTransform(y);
        }
        model.learn(y);
    }

    @Override
    public double scoreLearn(double[] x) {
        Points.requireValid(x, dimensions);
        double[] y = x;
        for (Transform t : transforms) {
            y = t.learnTransform(y);
        }
        return model.scoreLearn(y);
    }

    /** Whether the model can explain its scores ({@link Explainable}); every built-in model can. */
    public boolean explainable() {
        return model instanceof Explainable;
    }

    /**
     * {@link #scoreLearn(double[])} that explains: returns exactly the score it would, and when the model is
     * {@link #explainable()} and {@code explainIf} accepts the score, overwrites {@code attribution} (one entry per
     * input feature) with each feature's share of that score: non-negative, summing to 1. The attribution is taken
     * against the state that gave the score, before the model learns the point, and passed back through the
     * transforms ({@link Transform#attributeBack}) to the input features. A score {@code explainIf} refuses costs
     * what {@link #scoreLearn(double[])} costs (one predicate call more); {@code attribution} is then untouched.
     */
    public double scoreLearn(double[] x, DoublePredicate explainIf, double[] attribution) {
        if (!(model instanceof Explainable explainer)) {
            return scoreLearn(x);
        }
        Points.requireValid(x, dimensions);
        if (attribution.length != dimensions) {
            throw new IllegalArgumentException("attribution has " + attribution.length + " entries for "
                    + dimensions + " features");
        }
        double[] y = x;
        for (Transform t : transforms) {
            y = t.learnTransform(y);
        }
        if (modelAttribution == null) {
            modelAttribution = new double[model.dimensions()];
        }
        double score = explainer.scoreLearn(y, explainIf, modelAttribution);
        if (explainIf.test(score)) {
            double[] a = modelAttribution;
            for (int i = transforms.length - 1; i >= 0; i--) {
                a = transforms[i].attributeBack(a);
            }
            Attributions.normalise(a, attribution);
        }
        return score;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public long sizeInBytes() {
        long size = Sizes.OBJECT + model.sizeInBytes() + Sizes.of(modelAttribution);
        for (Transform t : transforms) {
            size += t.sizeInBytes();
        }
        return size;
    }

    @Override
    public void writeState(DataOutput out) throws IOException {
        StateIo.writeHeader(out, stateHeader());
        for (Transform t : transforms) {
            t.writeState(out);
        }
        model.writeState(out);
    }

    @Override
    public void readState(DataInput in) throws IOException {
        StateIo.readHeader(in, stateHeader());
        for (Transform t : transforms) {
            t.readState(in);
        }
        model.readState(in);
    }

    private String stateHeader() {
        return StateIo.header(STATE_TAG, dimensions, "stages=" + description);
    }

    /** The stages by name, e.g. {@code scaler | pca | isolation_forest}. */
    public String description() {
        return description;
    }

    public Detector model() {
        return model;
    }
}
