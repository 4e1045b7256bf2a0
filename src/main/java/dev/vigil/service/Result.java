package dev.vigil.service;

import dev.vigil.detect.Severity;

/** The verdict on one point. {@code fallbackReason} is set when the fallback answered (state degraded). */
public record Result(DataPoint point, double score, Severity severity, boolean anomaly, String model,
        DetectorState state, String fallbackReason) {
}
