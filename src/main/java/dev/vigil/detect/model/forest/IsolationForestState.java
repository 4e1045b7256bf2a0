package dev.vigil.detect.model.forest;

import dev.vigil.detect.model.SlidingWindowState;
import java.util.List;

/**
 * What an {@link IsolationForest} holds: the rebuild counters (the next tree to rebuild and the points learned since
 * the last rebuild), the random generator, the window, the tree builder's permutation of window slots that future
 * samples start from, and the built trees, tree {@code t} at index {@code t}. {@code header} names the part, the
 * dimension and every setting. The arrays and the list are the state's own.
 */
public record IsolationForestState(String header, int nextTree, int sinceRebuild, long rng,
        SlidingWindowState window, int[] samplePool, List<IsolationTreeState> trees) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "isolation_forest/1";
}
