package dev.vigil.detect.pipeline;

import dev.vigil.detect.Detector;
import dev.vigil.detect.Explainable;
import dev.vigil.detect.Points;
import dev.vigil.detect.Sizes;
import dev.vigil.detect.Transform;
import java.util.function.DoublePredicate;

/**
 * Transforms followed by a model, as one {@link Detector} over raw points: each transform learns and transforms
 * in turn, then the model scores (and learns) the result. Points are checked once here, before any transform
 * sees them. It is checkpointed by {@link PipelineStateFormat}: a header naming the stages, then each transform's
 * state in order, then the model's.
 */
public final class Pipeline implements Detector {
    private final PipelineSpec spec;
    private final int dimensions;
    final Transform[] transforms;
    private final Detector model;
    /** The model's attribution before it passes back through the transforms; allocated on the first explanation. */
    private double[] modelAttribution;

    /** Built by {@link PipelineSpec#newPipeline}: {@code transforms} of the spec's types, then its model's detector. */
    Pipeline(PipelineSpec spec, int dimensions, Transform[] transforms, Detector model) {
        this.spec = spec;
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

    /** The stages by name, e.g. {@code scaler | pca | isolation_forest}. */
    public String description() {
        return spec.description();
    }

    /** The configuration this pipeline was built from. */
    public PipelineSpec spec() {
        return spec;
    }

    public Detector model() {
        return model;
    }
}
