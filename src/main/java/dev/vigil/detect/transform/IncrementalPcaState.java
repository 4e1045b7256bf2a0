package dev.vigil.detect.transform;

/**
 * What an {@link IncrementalPca} holds: the {@code buffered} points of the batch not yet fitted
 * ({@code buffered * dimensions} values in {@code batch}), the points fitted so far and their mean, and the fitted
 * components (row-major in {@code basis}, {@code dimensions} values each) with their singular values. {@code header}
 * names the part, the dimension and the settings (the effective number of components); the arrays are the state's
 * own.
 */
public record IncrementalPcaState(String header, int buffered, double[] batch, long seen, double[] mean,
        double[] basis, double[] singularValues) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "pca/1";
}
