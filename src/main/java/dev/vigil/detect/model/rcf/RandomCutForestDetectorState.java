package dev.vigil.detect.model.rcf;

import com.amazon.randomcutforest.state.RandomCutForestState;

/**
 * What a {@link RandomCutForestDetector} holds: RCF's own state of its forest, made by RCF's mapper for this state
 * alone (the state's own: nothing else holds it, and nothing may change it). {@code header} names the part, the
 * dimension and every setting.
 */
public record RandomCutForestDetectorState(String header, RandomCutForestState forest) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "random_cut_forest/1";
}
