package dev.vigil.detect.transform;

/**
 * What a {@link DeltaTransform} holds: whether it has learned a point, and that point ({@code dimensions} values,
 * none before the first). {@code header} names the part, the dimension and the setting; the array is the state's own.
 */
public record DeltaTransformState(String header, boolean seen, double[] previous) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "delta/1";
}
