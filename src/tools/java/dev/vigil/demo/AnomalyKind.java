package dev.vigil.demo;

import java.util.Locale;

/** The kinds of anomaly {@link SensorStream} injects; each labelled point has exactly one. */
public enum AnomalyKind {
    /** One reading far off on one feature. */
    SPIKE,
    /** A persistent offset from some point on; the first readings after it are labelled. */
    LEVEL_SHIFT,
    /** A slow linear change; labelled once it is far from the original baseline. */
    DRIFT,
    /** The sensor repeats its last reading for a while. */
    STUCK;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
