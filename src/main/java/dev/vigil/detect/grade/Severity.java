package dev.vigil.detect.grade;

import java.util.Locale;

/** How bad an anomaly score is, from the configured {@link Thresholds}. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in results, configuration keys and sink names. */
    public String label() {
        return label;
    }
}
