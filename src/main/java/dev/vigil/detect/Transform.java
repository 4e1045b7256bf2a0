package dev.vigil.detect;

/**
 * A learn-as-you-go feature transform in front of a detector. Like detectors, transforms are single-writer and
 * allocation-free per point: the array returned is the transform's own output buffer, valid until its next
 * call, which is why a {@code Pipeline} hands it straight to the next stage and never keeps it. Their state is
 * checkpointed from outside, like a detector's (by their {@code TransformType}).
 */
public interface Transform {

    int inputDimensions();

    int outputDimensions();

    /** Transforms {@code x} with what has been learned so far, without learning it. */
    double[] transform(double[] x);

    /** Learns {@code x}, then transforms it. */
    double[] learnTransform(double[] x);

    /**
     * Maps a non-negative attribution over this transform's output features back onto its input features
     * ({@code outputAttribution.length == outputDimensions()}, result length {@code inputDimensions()}): how much
     * each input feature stands behind the output features' shares. The default suits transforms whose output
     * feature i depends on input feature i alone (scaling); transforms that mix or repeat features override it.
     * Not on the hot path: called only for results that are explained.
     */
    default double[] attributeBack(double[] outputAttribution) {
        if (inputDimensions() != outputDimensions()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " mixes features: override attributeBack");
        }
        return outputAttribution.clone();
    }

    /** Estimate of the heap this transform holds, in bytes. */
    long sizeInBytes();
}
