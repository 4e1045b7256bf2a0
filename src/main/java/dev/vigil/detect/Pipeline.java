package dev.vigil.detect;

/**
 * Transforms followed by a model, as one {@link Detector} over raw points: each transform learns and transforms
 * in turn, then the model scores (and learns) the result. Points are checked once here, before any transform
 * sees them.
 */
public final class Pipeline implements Detector {
    private final String description;
    private final int dimensions;
    private final Transform[] transforms;
    private final Detector model;

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

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public long sizeInBytes() {
        long size = Sizes.OBJECT + model.sizeInBytes();
        for (Transform t : transforms) {
            size += t.sizeInBytes();
        }
        return size;
    }

    /** The stages by name, e.g. {@code scaler | pca | isolation_forest}. */
    public String description() {
        return description;
    }

    public Detector model() {
        return model;
    }
}
