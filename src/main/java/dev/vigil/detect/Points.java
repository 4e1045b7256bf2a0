package dev.vigil.detect;

/** Checks every detector runs before a point reaches its state. */
public final class Points {
    private Points() {
    }

    /**
     * Refuses a point of the wrong dimension or with a NaN or infinite value.
     *
     * @throws InvalidPointException naming the feature index and the rule
     */
    public static void requireValid(double[] x, int dimensions) {
        if (x == null) {
            throw new InvalidPointException(-1, "point is null");
        }
        if (x.length != dimensions) {
            throw new InvalidPointException(-1,
                    "point has " + x.length + " features, the detector expects " + dimensions);
        }
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new InvalidPointException(i, "feature " + i + " is " + v + "; values must be finite numbers");
            }
        }
    }
}
