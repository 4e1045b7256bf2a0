package dev.vigil.detect;

/**
 * A learn-as-you-go feature transform in front of a detector. Like detectors, transforms are single-writer and
 * allocation-free per point: the array returned is the transform's own output buffer, valid until its next
 * call, which is why a {@link Pipeline} hands it straight to the next stage and never keeps it. Their state is
 * checkpointed like a detector's ({@link Stateful}).
 */
public interface Transform extends Stateful {

    int inputDimensions();

    int outputDimensions();

    /** Transforms {@code x} with what has been learned so far, without learning it. */
    double[] transform(double[] x);

    /** Learns {@code x}, then transforms it. */
    double[] learnTransform(double[] x);

    /** Estimate of the heap this transform holds, in bytes. */
    long sizeInBytes();
}
