package dev.vigil.eval.nab;


/**
 * One series scored at a fixed threshold, as a row of NAB's {@code <detector>_<profile>_scores.csv}: the score
 * (detected windows' best row weights, missed windows' -A_FN, every false positive's weight) and the row counts
 * over the rows after the probation.
 */
public record FileScore(String name, double threshold, double score, int tp, int tn, int fp, int fn,
        int windowsDetected, int windows) {

    /** Scores one series: its rows after the probation that score at least {@code threshold} are detections. */
    static FileScore of(String name, WindowedRows rows, double[] scores, double threshold, NabProfile profile) {
        double[] windowValue = new double[rows.windows()];
        boolean[] detected = new boolean[rows.windows()];
        int tp = 0;
        int tn = 0;
        int fp = 0;
        int fn = 0;
        double fpSum = 0;
        for (int i = rows.probation(); i < rows.rows(); i++) {
            int w = rows.windowOf(i);
            boolean hit = scores[i] >= threshold;
            if (w < 0) {
                if (hit) {
                    fp++;
                    fpSum += rows.weight(i, profile);
                } else {
                    tn++;
                }
            } else if (hit) {
                tp++;
                // Only the best (earliest) detection of a window counts; more of them add nothing.
                double value = rows.weight(i, profile);
                if (!detected[w] || value > windowValue[w]) {
                    windowValue[w] = value;
                    detected[w] = true;
                }
            } else {
                fn++;
            }
        }
        double score = fpSum;
        int windowsDetected = 0;
        for (int w = 0; w < windowValue.length; w++) {
            if (detected[w]) {
                score += windowValue[w];
                windowsDetected++;
            }
        }
        score -= profile.fnWeight() * (rows.scoredWindows() - windowsDetected);
        return new FileScore(name, threshold, score, tp, tn, fp, fn, windowsDetected, rows.scoredWindows());
    }
}
