package dev.vigil.service;

import dev.vigil.detect.Severity;

/**
 * The verdict on one point. {@code fallbackReason} is set when the fallback answered (state degraded);
 * {@code explanation} when the result is at or above {@code vigil.explain.min-severity}.
 */
public record Result(DataPoint point, double score, Severity severity, boolean anomaly, String model,
        DetectorState state, String fallbackReason, Explanation explanation) {

    /** A result without an explanation. */
    public Result(DataPoint point, double score, Severity severity, boolean anomaly, String model,
            DetectorState state, String fallbackReason) {
        this(point, score, severity, anomaly, model, state, fallbackReason, null);
    }
}
