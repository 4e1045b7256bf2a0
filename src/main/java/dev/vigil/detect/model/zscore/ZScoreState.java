package dev.vigil.detect.model.zscore;

import dev.vigil.detect.model.RelativeScoreState;

/**
 * What a {@link ZScoreDetector} holds: the points learned, mean and M2 per feature, and the running typical |z|.
 * {@code header} names the part and the dimension; the arrays are the state's own.
 */
public record ZScoreState(String header, long count, double[] mean, double[] m2, RelativeScoreState relative) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "zscore/1";
}
