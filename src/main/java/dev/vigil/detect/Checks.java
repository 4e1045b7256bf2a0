package dev.vigil.detect;

/** Argument checks whose messages name the setting, as users write it in the configuration. */
public final class Checks {
    /** Points wider than this are refused everywhere (the validation layer allows 1,000 features). */
    public static final int MAX_DIMENSIONS = 100_000;

    private Checks() {
    }

    public static void range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
    }

    public static void range(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
    }
}
