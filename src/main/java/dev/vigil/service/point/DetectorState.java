package dev.vigil.service.point;

import java.util.Locale;

/**
 * How a result was produced (the reference's ServiceState): by the configured model, by the statistical
 * fallback, or not at all.
 */
public enum DetectorState {
    HEALTHY, DEGRADED, FAILED;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
