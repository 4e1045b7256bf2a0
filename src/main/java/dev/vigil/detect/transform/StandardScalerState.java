package dev.vigil.detect.transform;

/**
 * What a {@link StandardScaler} holds: the points learned, and mean and M2 per feature. {@code header} names the part
 * and the dimension; the arrays are the state's own.
 */
public record StandardScalerState(String header, long count, double[] mean, double[] m2) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "scaler/1";
}
