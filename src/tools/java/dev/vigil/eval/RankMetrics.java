package dev.vigil.eval;

import java.util.Arrays;

/**
 * Exact ranking metrics of anomaly scores against 0/1 labels (1 = anomaly), with ties handled.
 *
 * <ul>
 * <li>ROC-AUC: the Mann-Whitney statistic, P(score of a random anomaly &gt; score of a random normal point),
 * ties counting one half (average ranks).</li>
 * <li>PR-AUC: average precision, the sum over distinct score thresholds of (recall gain) x precision, tied
 * scores entering together as one threshold (the step-wise definition scikit-learn uses).</li>
 * </ul>
 * Both are NaN when one class is absent.
 */
public final class RankMetrics {
    private RankMetrics() {
    }

    public static double rocAuc(double[] scores, int[] labels) {
        check(scores, labels);
        Integer[] order = ascending(scores);
        long positives = 0;
        double positiveRankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1.0;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    positives++;
                    positiveRankSum += averageRank;
                }
            }
            i = j + 1;
        }
        long negatives = order.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    public static double averagePrecision(double[] scores, int[] labels) {
        check(scores, labels);
        Integer[] order = ascending(scores);
        long positives = Arrays.stream(labels).filter(l -> l == 1).count();
        if (positives == 0 || positives == labels.length) {
            return Double.NaN;
        }
        long truePositives = 0;
        long seen = 0;
        double previousRecall = 0;
        double ap = 0;
        int i = order.length - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            for (int k = j; k <= i; k++) {
                truePositives += labels[order[k]];
                seen++;
            }
            double recall = (double) truePositives / positives;
            double precision = (double) truePositives / seen;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
            i = j - 1;
        }
        return ap;
    }

    private static Integer[] ascending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        return order;
    }

    private static void check(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label " + i + " must be 0 or 1, was " + labels[i]);
            }
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
        }
    }
}
