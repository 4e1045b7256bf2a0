package dev.vigil.detect.model.svm;

import dev.vigil.detect.model.SlidingWindowState;

/**
 * What an {@link AdaptiveOneClassSvm} holds: the random generator, the points learned and when it trains next, its
 * training window, the kept support vectors (one multiplier each in {@code supportAlpha}, {@code dimensions} values
 * each in {@code supportVectors}), rho and the squared kernel width. {@code header} names the part, the dimension
 * and every setting; the arrays are the state's own.
 */
public record AdaptiveOneClassSvmState(String header, long rng, long learned, long nextTraining,
        SlidingWindowState window, double[] supportVectors, double[] supportAlpha, double rho, double sigma2) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "adaptive_svm/1";
}
