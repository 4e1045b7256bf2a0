package dev.vigil.detect;

/**
 * How the big per-entity stores keep point values ({@code vigil.memory.precision}): the sliding windows of
 * {@code isolation_forest} and {@code knn} and the training buffer of {@code adaptive_svm}. {@code float32} halves
 * them; such a model then rounds every point it sees to float once, so a value equal to a stored one still matches
 * it exactly (a stuck sensor stays "the same" point). Transforms and the other models keep doubles; random cut
 * forest keeps floats in any case.
 */
public enum Precision {
    FLOAT32("float32"),
    FLOAT64("float64");

    /**
     * What a pipeline uses unless configured otherwise: float32 measured the same mean ROC-AUC on the 14 benchmark
     * sets as float64 (to the fourth decimal) with half the window memory (BENCHMARKS.md, "Memory: precision").
     */
    public static final Precision DEFAULT = FLOAT32;

    private final String configName;

    Precision(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The precision named {@code name} ({@code float32} or {@code float64}), or an error at {@code key}. */
    public static Precision byName(String key, String name) {
        String wanted = name == null ? "" : name.trim();
        for (Precision p : values()) {
            if (p.configName.equals(wanted)) {
                return p;
            }
        }
        throw new InvalidConfigurationException(key, "unknown precision '" + name + "'; allowed: float32, float64");
    }
}
