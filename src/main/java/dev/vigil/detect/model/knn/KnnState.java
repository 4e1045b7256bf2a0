package dev.vigil.detect.model.knn;

import dev.vigil.detect.model.RelativeScoreState;
import dev.vigil.detect.model.SlidingWindowState;

/**
 * What a {@link KnnDetector} holds: its window and the running typical distance. {@code header} names the part,
 * the dimension and every setting (k, precision, window size).
 */
public record KnnState(String header, SlidingWindowState window, RelativeScoreState relative) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "knn/1";
}
