package dev.vigil.detect;

/**
 * An online, unsupervised anomaly detector over fixed-dimension points.
 *
 * <p>Scores are in [0, 1], higher is more anomalous; each implementation documents how its raw score maps
 * there. Implementations are single-writer (not thread-safe), deterministic for a given seed and input
 * stream, bounded in memory, and refuse invalid points with {@link InvalidPointException} before touching
 * their state. Callers keep ownership of the arrays they pass: detectors copy what they keep. Their state is
 * checkpointed from outside ({@link ModelProvider#stateFormat()}): a restored detector scores exactly as the
 * original would have.
 */
public interface Detector {

    /** Anomaly score of {@code x} against what has been learned so far; does not change the state. */
    double score(double[] x);

    /** Adds {@code x} to what the detector knows. */
    void learn(double[] x);

    /** Prequential step: the score of {@code x} before learning it, then learns it. */
    default double scoreLearn(double[] x) {
        double s = score(x);
        learn(x);
        return s;
    }

    /** Number of features every point must have. */
    int dimensions();

    /** Estimate of the heap this detector holds, in bytes; bounded by its window or budget. */
    long sizeInBytes();
}
