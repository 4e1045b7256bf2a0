package dev.vigil.detect;

import java.util.function.DoublePredicate;

/**
 * A detector that can say which features made a score: one non-negative weight per feature, larger for the
 * features that made the point look anomalous (each model documents how it measures that). Explaining is meant
 * for the few results someone reads: it may allocate and may cost far more than a score, so {@code Pipeline}
 * asks for it only for the scores its caller names, and everything else pays nothing.
 */
public interface Explainable extends Detector {

    /**
     * Overwrites {@code out[0 .. dimensions())} with each feature's non-negative contribution to {@code score(x)}
     * against what has been learned so far, without changing the state. Not normalised (a {@code Pipeline}
     * normalises); all zeros when nothing stands out, e.g. before anything is learned.
     */
    void attribute(double[] x, double[] out);

    /**
     * {@link #scoreLearn(double[])} that explains: returns exactly the score it would, and when {@code explainIf}
     * accepts that score, writes {@link #attribute} of {@code x} into {@code out} against the state that gave the
     * score, before {@code x} is learned.
     */
    default double scoreLearn(double[] x, DoublePredicate explainIf, double[] out) {
        double score = score(x);
        if (explainIf.test(score)) {
            attribute(x, out);
        }
        learn(x);
        return score;
    }
}
