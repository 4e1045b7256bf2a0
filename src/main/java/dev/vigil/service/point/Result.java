package dev.vigil.service.point;

import dev.vigil.detect.grade.Severity;

/**
 * The verdict on one point. {@code rarity} is the share of the key's recent scores below this one (NaN when the
 * fallback answered or nothing scored); {@code fallbackReason} is set when the fallback answered (state degraded);
 * {@code explanation} when the result is at or above {@code vigil.explain.min-severity}.
 */
public record Result(DataPoint point, double score, double rarity, Severity severity, boolean anomaly, String model,
        DetectorState state, String fallbackReason, Explanation explanation) {

    /** A result without an explanation. */
    public Result(DataPoint point, double score, double rarity, Severity severity, boolean anomaly, String model,
            DetectorState state, String fallbackReason) {
        this(point, score, rarity, severity, anomaly, model, state, fallbackReason, null);
    }
}
