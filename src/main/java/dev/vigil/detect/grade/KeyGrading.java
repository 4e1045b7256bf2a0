package dev.vigil.detect.grade;

/**
 * Everything that turns one key's model scores into verdicts, in the order the points arrive: warm-up, rarity,
 * likelihood, severity and events. The service ({@code DetectionService}) and {@code vigil-eval} grade through it,
 * so what is measured is what ships.
 *
 * <ul>
 * <li><b>Warm-up.</b> A new model's first scores say more about how little it has seen than about the points: for
 * the key's first {@code warmup} points (and, in likelihood mode, until {@link AnomalyLikelihood#ready()}) a result
 * is marked warm-up, graded low and not an anomaly, and its score enters neither the rarity ranks nor the
 * likelihood's history (nor, in the service, the drift test).</li>
 * <li><b>Rarity</b> ({@link ScoreRanks}) and, in likelihood mode, <b>likelihood</b> ({@link AnomalyLikelihood},
 * raised to 1 when a reading leaves the key's {@link ValueRange}); graded by {@link Grading}.</li>
 * <li><b>Events.</b> An anomaly within {@code eventGap} points of the key's previous anomaly belongs to the same
 * event; its {@link Grade#event()} is the event's id, the key's point number of the event's first anomaly. A later
 * anomaly of an event at a severity the event has already reached is a {@link Grade#repeat()}; one above it is
 * not. A gap of 0 makes every anomaly its own event.</li>
 * </ul>
 *
 * <p>Single-writer (the key's lock). The ranks are checkpointed on their own ({@link #ranks()}); the rest (the
 * point count, the likelihood, the range and the open event) as {@link KeyGradingState}.
 */
public final class KeyGrading {

    /**
     * The verdict on one score. {@code event} is 0 when the result is not an anomaly; {@code eventStart} marks the
     * first anomaly of an event, {@code repeat} a later one at a severity the event has already reached.
     */
    public record Grade(double rarity, double likelihood, Severity severity, boolean anomaly, boolean warmup,
            long event, boolean eventStart, boolean repeat) {
    }

    /**
     * The steps of likelihood grading that can be left out, to measure what each adds (the benchmark's NAB
     * section); the service runs them all.
     *
     * @param rangeCheck     a reading outside the key's {@link ValueRange} is graded likelihood 1
     * @param capRepeatedRed {@link AnomalyLikelihood}'s cap after a red likelihood
     */
    public record Steps(boolean rangeCheck, boolean capRepeatedRed) {
        public static final Steps ALL = new Steps(true, true);
    }

    private final Grading grading;
    private final int warmup;
    private final int eventGap;
    final int dimensions;
    private final ScoreRanks ranks;
    /** In likelihood mode only, else null. */
    final AnomalyLikelihood likelihood;
    final ValueRange range;
    private final boolean rangeCheck;
    /** Points graded over the key's life, warm-up included. */
    long points;
    long event;
    long lastAnomaly;
    Severity eventPeak = Severity.LOW;

    /**
     * @param warmup   points a new key's results are warm-up for
     * @param eventGap points after an anomaly within which the next one joins its event; 0: none does
     */
    public KeyGrading(Grading grading, int warmup, int eventGap, ScoreRanks ranks, int dimensions) {
        this(grading, warmup, eventGap, ranks, dimensions, Steps.ALL);
    }

    public KeyGrading(Grading grading, int warmup, int eventGap, ScoreRanks ranks, int dimensions, Steps steps) {
        if (warmup < 0 || eventGap < 0) {
            throw new IllegalArgumentException("warm-up and event gap must be at least 0, were " + warmup + " and "
                    + eventGap);
        }
        this.grading = grading;
        this.warmup = warmup;
        this.eventGap = eventGap;
        this.dimensions = dimensions;
        this.ranks = ranks;
        boolean byLikelihood = grading.mode() == Grading.Mode.LIKELIHOOD;
        this.likelihood = byLikelihood ? new AnomalyLikelihood(steps.capRepeatedRed()) : null;
        this.range = byLikelihood ? new ValueRange(dimensions) : null;
        this.rangeCheck = steps.rangeCheck();
    }

    /** Grades the score the key's model gave {@code values} (its point, as it arrived), then counts it. */
    public Grade grade(double score, double[] values) {
        points++;
        double rarity = ranks.rarity(score);
        boolean breach = range != null && rangeCheck && range.breaches(values);
        if (range != null) {
            range.add(values);
        }
        if (points <= warmup) {
            return new Grade(rarity, likelihood == null ? Double.NaN : 0.5, Severity.LOW, false, true, 0, false,
                    false);
        }
        ranks.add(score);
        double l = Double.NaN;
        if (likelihood != null) {
            boolean ready = likelihood.ready();
            l = likelihood.next(score);
            if (!ready) {
                return new Grade(rarity, l, Severity.LOW, false, true, 0, false, false);
            }
            if (breach) {
                l = 1.0;
            }
        }
        Severity severity = grading.severity(score, rarity, l);
        boolean anomaly = grading.isAnomaly(score, rarity, l);
        if (!anomaly) {
            return new Grade(rarity, l, severity, false, false, 0, false, false);
        }
        boolean repeat = event != 0 && points - lastAnomaly <= eventGap;
        if (!repeat) {
            event = points;
            eventPeak = severity;
        } else if (severity.compareTo(eventPeak) > 0) {
            eventPeak = severity;
            repeat = false;
        }
        lastAnomaly = points;
        return new Grade(rarity, l, severity, true, false, event, event == points, repeat);
    }

    /**
     * The severity {@link #grade} will give {@code score} for {@code values}, without counting either: so that
     * whether to explain a point can be decided before the model learns it.
     */
    public Severity severityOf(double score, double[] values) {
        if (points < warmup || likelihood != null && !likelihood.ready()) {
            return Severity.LOW;
        }
        double l = Double.NaN;
        if (likelihood != null) {
            l = rangeCheck && range.breaches(values) ? 1.0 : likelihood.peek(score);
        }
        return grading.severity(score, ranks.rarity(score), l);
    }

    /** The key's score ranks, checkpointed in their own block. */
    public ScoreRanks ranks() {
        return ranks;
    }

    /** Points graded over the key's life, warm-up included. */
    public long points() {
        return points;
    }

    /**
     * For a key restored from a checkpoint that held no grading state (written before there was one): its
     * points count as graded, so a key that was warm stays warm.
     */
    public void assumeGraded(long learned) {
        points = learned;
    }

    public long sizeInBytes() {
        return 64 + ranks.sizeInBytes() + (likelihood == null ? 0 : likelihood.sizeInBytes() + range.sizeInBytes());
    }

    Grading.Mode mode() {
        return grading.mode();
    }
}
