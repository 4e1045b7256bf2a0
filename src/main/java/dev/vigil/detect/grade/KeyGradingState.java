package dev.vigil.detect.grade;

/**
 * What a {@link KeyGrading} holds besides its score ranks (a part of their own): the points graded, the open
 * event (its id, the point of its last anomaly, the highest severity it reached), and in likelihood mode the
 * likelihood and the value range (null in the other modes). {@code header} names the part, the dimension and the
 * mode; warm-up and event gap are not in it, so changing them keeps a key's state.
 */
public record KeyGradingState(String header, long points, long event, long lastAnomaly, Severity eventPeak,
        AnomalyLikelihoodState likelihood, ValueRangeState range) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "grading/1";
}
