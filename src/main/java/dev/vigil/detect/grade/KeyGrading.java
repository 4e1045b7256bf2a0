package dev.vigil.detect.grade;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateIo;
import dev.vigil.detect.state.Stateful;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

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
 * <p>Single-writer (the key's lock). The ranks are checkpointed on their own ({@link #ranks()}); {@link #writeState}
 * holds the rest: the point count, the likelihood, the range and the open event.
 */
public final class KeyGrading implements Stateful {
    private static final String STATE_TAG = "grading/1";

    /**
     * The verdict on one score. {@code event} is 0 when the result is not an anomaly; {@code eventStart} marks the
     * first anomaly of an event, {@code repeat} a later one at a severity the event has already reached.
     */
    public record Grade(double rarity, double likelihood, Severity severity, boolean anomaly, boolean warmup,
            long event, boolean eventStart, boolean repeat) {
    }

    private final Grading grading;
    private final int warmup;
    private final int eventGap;
    private final int dimensions;
    private final ScoreRanks ranks;
    private final AnomalyLikelihood likelihood;
    private final ValueRange range;
    /** Points graded over the key's life, warm-up included. */
    private long points;
    private long event;
    private long lastAnomaly;
    private Severity eventPeak = Severity.LOW;

    /**
     * @param warmup   points a new key's results are warm-up for
     * @param eventGap points after an anomaly within which the next one joins its event; 0: none does
     */
    public KeyGrading(Grading grading, int warmup, int eventGap, ScoreRanks ranks, int dimensions) {
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
        this.likelihood = byLikelihood ? new AnomalyLikelihood() : null;
        this.range = byLikelihood ? new ValueRange(dimensions) : null;
    }

    /** Grades the score the key's model gave {@code values} (its point, as it arrived), then counts it. */
    public Grade grade(double score, double[] values) {
        points++;
        double rarity = ranks.rarity(score);
        boolean breach = range != null && range.breaches(values);
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

    @Override
    public void writeState(DataOutput out) throws IOException {
        StateIo.writeHeader(out, header());
        out.writeLong(points);
        out.writeLong(event);
        out.writeLong(lastAnomaly);
        out.writeByte(eventPeak.ordinal());
        if (likelihood != null) {
            likelihood.writeState(out);
            range.writeState(out);
        }
    }

    @Override
    public void readState(DataInput in) throws IOException {
        StateIo.readHeader(in, header());
        points = in.readLong();
        event = in.readLong();
        lastAnomaly = in.readLong();
        int peak = in.readByte();
        if (points < 0 || event < 0 || event > points || lastAnomaly < event || lastAnomaly > points || peak < 0
                || peak >= Severity.values().length) {
            throw new CheckpointFormatException("grading: counts do not fit (points " + points + ", event " + event
                    + ", last anomaly " + lastAnomaly + ")");
        }
        eventPeak = Severity.values()[peak];
        if (likelihood != null) {
            likelihood.readState(in);
            range.readState(in);
        }
    }

    /** Warm-up and event gap are not in it: they may change between runs without costing the key its state. */
    private String header() {
        return StateIo.header(STATE_TAG, dimensions, "mode=" + grading.mode().configName());
    }
}
