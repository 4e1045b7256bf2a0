package dev.vigil.eval.nab;

import java.time.LocalDateTime;

/**
 * One series as a detector saw it: its NAB name (e.g. {@code realTraffic/speed_6005.csv}), every row's timestamp in
 * file order, and the detector's anomaly score for each row (higher = more anomalous).
 */
public record ScoredSeries(String name, LocalDateTime[] timestamps, double[] scores) {
    public ScoredSeries {
        check(name, timestamps.length, scores);
    }

    /** Refuses scores that are not one number per row. */
    static void check(String name, int rows, double[] scores) {
        if (rows != scores.length) {
            throw new IllegalArgumentException(name + ": " + rows + " rows but " + scores.length + " scores");
        }
        for (int i = 0; i < scores.length; i++) {
            // A NaN would fall out of every threshold comparison, silently neither detected nor missed.
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException(name + ": the score of row " + i + " is NaN");
            }
        }
    }
}
