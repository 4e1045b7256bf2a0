package dev.vigil.eval.nab;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each row of one series stands for NAB: inside the probationary period (never scored), inside a window
 * (which one), or outside, and what a detection there is worth before the profile's weights. NAB addresses rows by
 * position, so a window is the rows from the first row stamped with its start to the first row stamped with its end.
 */
final class WindowedRows {
    /** NAB's probationary share of a file, capped at {@value #PROBATION_CAP} rows (0.15 × 5000). */
    static final double PROBATION_SHARE = 0.15;
    static final int PROBATION_CAP = 750;

    private final int probation;
    /** Window index of each row, or -1 outside every window. */
    private final int[] windowOf;
    /**
     * Each row's weight for a detection without the profile factor: in a window sig(x) / sig(-1), to be multiplied
     * by A_TP; outside, sig(x) or -1 (before the first window), to be multiplied by A_FP.
     */
    private final double[] unitWeight;
    private final int windows;
    /** Windows with at least one row after the probation: only those NAB scores (all of them on NAB's corpus). */
    private final int scoredWindows;

    private WindowedRows(int probation, int[] windowOf, double[] unitWeight, int windows, int scoredWindows) {
        this.probation = probation;
        this.windowOf = windowOf;
        this.unitWeight = unitWeight;
        this.windows = windows;
        this.scoredWindows = scoredWindows;
    }

    /** NAB's probationary length: rows before it only teach the detector. */
    static int probationaryLength(int rows) {
        return (int) Math.min(Math.floor(PROBATION_SHARE * rows), PROBATION_CAP);
    }

    /**
     * @param timestamps every row's timestamp in file order (repeats allowed)
     * @param limits     the series' windows, in time order and disjoint
     */
    static WindowedRows of(String name, LocalDateTime[] timestamps, List<AnomalyWindows.Limits> limits) {
        int n = timestamps.length;
        Map<LocalDateTime, Integer> firstRow = new HashMap<>();
        for (int i = 0; i < n; i++) {
            firstRow.putIfAbsent(timestamps[i], i);
        }
        int[] windowOf = new int[n];
        Arrays.fill(windowOf, -1);
        int[] starts = new int[limits.size()];
        int[] ends = new int[limits.size()];
        for (int w = 0; w < limits.size(); w++) {
            starts[w] = rowOf(firstRow, limits.get(w).start(), name, "start");
            ends[w] = rowOf(firstRow, limits.get(w).end(), name, "end");
            if (ends[w] < starts[w] || (w > 0 && starts[w] <= ends[w - 1])) {
                throw new IllegalArgumentException(name + ": window " + limits.get(w)
                        + " does not follow the previous one or ends before it starts");
            }
            Arrays.fill(windowOf, starts[w], ends[w] + 1, w);
        }
        double[] unit = new double[n];
        int previous = -1;
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (next < starts.length && i > ends[next]) {
                previous = next++;
            }
            int w = windowOf[i];
            if (w >= 0) {
                double width = ends[w] - starts[w] + 1;
                // -1 at the window's first row, -1/W at its last: earlier detections earn more.
                unit[i] = ScaledSigmoid.of(-(ends[w] - i + 1) / width) / ScaledSigmoid.AT_WINDOW_START;
            } else if (previous < 0) {
                unit[i] = -1.0;
            } else {
                // Past a window the cost grows from about 0 to the full A_FP over one window width; NAB divides by
                // W - 1 (a one-row window would divide by zero there, so it counts as far away).
                double widthLess1 = ends[previous] - starts[previous];
                unit[i] = widthLess1 == 0 ? -1.0 : ScaledSigmoid.of((i - ends[previous]) / widthLess1);
            }
        }
        int probation = probationaryLength(n);
        int scored = 0;
        for (int end : ends) {
            if (end >= probation) {
                scored++;
            }
        }
        return new WindowedRows(probation, windowOf, unit, limits.size(), scored);
    }

    private static int rowOf(Map<LocalDateTime, Integer> firstRow, LocalDateTime t, String name, String which) {
        Integer row = firstRow.get(t);
        if (row == null) {
            throw new IllegalArgumentException(name + ": no row is stamped " + t + ", the " + which + " of a window");
        }
        return row;
    }

    int rows() {
        return windowOf.length;
    }

    int probation() {
        return probation;
    }

    /** Window index of {@code row}, or -1 outside every window. */
    int windowOf(int row) {
        return windowOf[row];
    }

    /** What a detection at {@code row} adds under {@code profile}: positive in a window, negative outside. */
    double weight(int row, NabProfile profile) {
        return unitWeight[row] * (windowOf[row] >= 0 ? profile.tpWeight() : profile.fpWeight());
    }

    /** Windows labelled in the series, scored or not. */
    int windows() {
        return windows;
    }

    /** Windows that reach past the probationary period: each is worth A_TP or costs A_FN. */
    int scoredWindows() {
        return scoredWindows;
    }
}
