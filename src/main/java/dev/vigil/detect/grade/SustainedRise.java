package dev.vigil.detect.grade;

import dev.vigil.detect.Checks;

/**
 * Drift of one key: for {@code points} points in a row, its recent scores have stayed unlikely under its own
 * long-run score distribution ({@link AnomalyLikelihood}) while its readings stayed outside the level they have had
 * ({@link LevelShift}). When the normal of a key changes, its model scores the new normal as unusual until it has
 * absorbed it, so the likelihood stays high; an isolated anomaly raises it for a few points only. The readings'
 * side keeps out what comes from the model rather than the data: a model whose scores swing with a periodic
 * series, or wander on discrete-valued readings, while the readings themselves stay where they have always been.
 * Neither side depends on the scale of the model's scores or of the key's readings. After it fires, the run must
 * end before it can fire again.
 *
 * <p>It reports shifts of a key's level; a change of its spread alone, or of how its features move together,
 * raises the scores without moving the readings' averages and is left to the anomaly grading. Measured
 * (docs/models.md, "Drift"): no false alarm of any model on stationary, constant, periodic or discrete-valued
 * streams, a 3σ level shift reported within a few dozen points. Constant memory, no randomness, nothing allocated
 * per point; not checkpointed (it starts afresh on restore).
 */
public final class SustainedRise {
    public static final double DEFAULT_LIKELIHOOD = 0.999;
    public static final int DEFAULT_POINTS = 30;

    private final double likelihood;
    private final int points;
    private final AnomalyLikelihood scores = new AnomalyLikelihood();
    private final LevelShift level;
    private int run;
    private boolean fired;

    /** For points of {@code dimensions} features. */
    public SustainedRise(double likelihood, int points, int dimensions) {
        Checks.range("likelihood", likelihood, 0.5, 1.0);
        Checks.range("points", points, 1, 1_000_000);
        this.likelihood = likelihood;
        this.points = points;
        this.level = new LevelShift(dimensions);
    }

    /**
     * Adds the score the model gave a point and the point's readings; true when the key has just drifted for
     * {@code points} points.
     */
    public boolean add(double score, double[] values) {
        boolean unlikely = scores.next(score) >= likelihood;
        if (level.add(values) && unlikely) {
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

    public long sizeInBytes() {
        return scores.sizeInBytes() + level.sizeInBytes() + 32;
    }
}
