package dev.vigil.detect.grade;

/**
 * What a {@link ValueRange} holds: whether it has seen a point, and the lowest and highest value per feature.
 * {@code header} names the part, the dimension and the tolerance; the arrays are the state's own.
 */
public record ValueRangeState(String header, boolean seen, double[] low, double[] high) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "range/1";
}
