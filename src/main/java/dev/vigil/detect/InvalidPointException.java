package dev.vigil.detect;

/** A point a detector refuses before it can reach the model state: wrong dimension, NaN or infinite value. */
public final class InvalidPointException extends IllegalArgumentException {
    private final int feature;

    public InvalidPointException(int feature, String message) {
        super(message);
        this.feature = feature;
    }

    /** Index of the offending feature, or -1 when the point as a whole is wrong (its dimension). */
    public int feature() {
        return feature;
    }
}
