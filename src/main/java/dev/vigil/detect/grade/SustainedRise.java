package dev.vigil.detect.grade;

import dev.vigil.detect.Checks;

/**
 * Drift of one key's scores: its recent scores have stayed unlikely under its own long-run score distribution
 * ({@link AnomalyLikelihood}) for {@code points} points in a row. When the normal of a key changes, its model
 * scores the new normal as unusual until it has absorbed it, so the likelihood stays high; an isolated anomaly
 * raises it for a few points only, and the swings of a periodic or discrete-valued series are part of the key's
 * own distribution. Unlike a test on the raw scores, the score scale of the model and the key does not matter.
 * After it fires, the run must end (a likelihood below {@code likelihood}) before it can fire again.
 *
 * <p>Measured (docs/models.md, "Drift"): no false alarm on stationary, constant, periodic or discrete-valued
 * streams nor on NAB-dev's series without anomalies, a 3σ level shift reported within a few dozen points.
 * Constant memory, no randomness, nothing allocated per score; not checkpointed (it starts afresh on restore).
 */
public final class SustainedRise {
    public static final double DEFAULT_LIKELIHOOD = 0.999;
    public static final int DEFAULT_POINTS = 30;

    private final double likelihood;
    private final int points;
    private final AnomalyLikelihood scores = new AnomalyLikelihood();
    private int run;
    private boolean fired;

    public SustainedRise(double likelihood, int points) {
        Checks.range("likelihood", likelihood, 0.5, 1.0);
        Checks.range("points", points, 1, 1_000_000);
        this.likelihood = likelihood;
        this.points = points;
    }

    /** Adds one score; true when the key's scores have just stayed unlikely for {@code points} points. */
    public boolean add(double score) {
        if (scores.next(score) >= likelihood) {
            run++;
        } else {
            run = 0;
            fired = false;
        }
        if (run >= points && !fired) {
            fired = true;
            return true;
        }
        return false;
    }

    /** Points in a row the scores have been unlikely, now. */
    public int run() {
        return run;
    }

    public double likelihood() {
        return likelihood;
    }

    public int points() {
        return points;
    }
}
