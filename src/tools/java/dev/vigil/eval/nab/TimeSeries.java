package dev.vigil.eval.nab;

import java.time.LocalDateTime;

/**
 * One key's rows in time order, as the NAB mode streams them: its name (the NAB name of its file, or its key),
 * the feature names, and per row the timestamp as written (for the scores file), as a date-time (to place the
 * windows) and the feature values.
 */
record TimeSeries(String name, String[] featureNames, String[] timestampTexts, LocalDateTime[] timestamps,
        double[][] points) {

    int rows() {
        return points.length;
    }

    int dimensions() {
        return featureNames.length;
    }
}
