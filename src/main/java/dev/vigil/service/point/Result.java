package dev.vigil.service.point;

import dev.vigil.detect.grade.KeyGrading;
import dev.vigil.detect.grade.Severity;

/**
 * The verdict on one point. {@code rarity} is the share of the key's recent scores below this one (NaN when the
 * fallback answered or nothing scored); {@code grade} holds what else the key's grading said (likelihood, warm-up,
 * event), null when the fallback answered or nothing scored; {@code fallbackReason} is set when the fallback
 * answered (state degraded); {@code explanation} when the result is at or above {@code vigil.explain.min-severity}.
 */
public record Result(DataPoint point, double score, double rarity, Severity severity, boolean anomaly, String model,
        DetectorState state, String fallbackReason, Explanation explanation, KeyGrading.Grade grade) {

    /** A result the key's grading did not grade (the fallback answered, or nothing scored). */
    public Result(DataPoint point, double score, double rarity, Severity severity, boolean anomaly, String model,
            DetectorState state, String fallbackReason, Explanation explanation) {
        this(point, score, rarity, severity, anomaly, model, state, fallbackReason, explanation, null);
    }

    /** A result without an explanation. */
    public Result(DataPoint point, double score, double rarity, Severity severity, boolean anomaly, String model,
            DetectorState state, String fallbackReason) {
        this(point, score, rarity, severity, anomaly, model, state, fallbackReason, null, null);
    }

    /** The likelihood the result was graded on, NaN outside likelihood mode. */
    public double likelihood() {
        return grade == null ? Double.NaN : grade.likelihood();
    }

    /** True while the key's model warms up: the result is graded low whatever its score. */
    public boolean warmup() {
        return grade != null && grade.warmup();
    }

    /** The id of the event the anomaly belongs to (the key's point number of its first anomaly); 0 if none. */
    public long event() {
        return grade == null ? 0 : grade.event();
    }

    /** True for the first anomaly of an event. */
    public boolean eventStart() {
        return grade != null ? grade.eventStart() : anomaly;
    }

    /** True for a later anomaly of an event at a severity the event has already reached. */
    public boolean repeat() {
        return grade != null && grade.repeat();
    }
}
