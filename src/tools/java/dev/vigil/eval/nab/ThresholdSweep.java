package dev.vigil.eval.nab;

import java.util.Arrays;
import java.util.List;

/**
 * NAB's threshold optimisation: the corpus score S(t) at every candidate threshold (1.1, which detects nothing, and
 * every distinct score among the scored rows), in one pass over the scored rows of all series sorted by descending
 * score, and the t that maximises it. Lowering t past a row's score detects that row: outside a window its
 * (negative) weight joins the running FP sum; inside, the window's value becomes the best of its detected rows.
 * So each candidate costs O(1) and the whole sweep O(N log N), for the sort.
 */
final class ThresholdSweep {
    /** NAB's first candidate: above every score in [0, 1], so nothing is detected and every window is missed. */
    static final double NOTHING_DETECTED = 1.1;

    /** The best threshold and the corpus score it gives. */
    record Optimum(double threshold, double score) {
    }

    private ThresholdSweep() {
    }

    static Optimum optimise(NabCorpus corpus, NabProfile profile) {
        List<NabCorpus.Entry> entries = corpus.entries();
        int scored = 0;
        for (NabCorpus.Entry e : entries) {
            scored += e.rows().rows() - Math.min(e.rows().probation(), e.rows().rows());
        }
        // Every scored row of every series, flattened; windows numbered across the corpus so each stays its own.
        double[] score = new double[scored];
        double[] weight = new double[scored];
        int[] window = new int[scored];
        int k = 0;
        int windowOffset = 0;
        int scoredWindows = 0;
        for (NabCorpus.Entry e : entries) {
            WindowedRows rows = e.rows();
            for (int i = rows.probation(); i < rows.rows(); i++) {
                score[k] = e.scores()[i];
                weight[k] = rows.weight(i, profile);
                int w = rows.windowOf(i);
                window[k] = w < 0 ? -1 : windowOffset + w;
                k++;
            }
            windowOffset += rows.windows();
            scoredWindows += rows.scoredWindows();
        }
        int[] order = byDescendingScore(score);

        double[] windowValue = new double[windowOffset];
        Arrays.fill(windowValue, -profile.fnWeight());
        double windowSum = -profile.fnWeight() * scoredWindows;
        double fpSum = 0;
        double threshold = NOTHING_DETECTED;
        double bestThreshold = NOTHING_DETECTED;
        double best = Double.NEGATIVE_INFINITY;
        for (int r : order) {
            if (score[r] != threshold) {
                // Every row scoring >= threshold is in: S(threshold) is complete. Strictly greater keeps the
                // higher threshold among ties, as NAB's stable sort of the candidates does.
                if (windowSum + fpSum > best) {
                    best = windowSum + fpSum;
                    bestThreshold = threshold;
                }
                threshold = score[r];
            }
            int w = window[r];
            if (w < 0) {
                fpSum += weight[r];
            } else if (weight[r] > windowValue[w]) {
                windowSum += weight[r] - windowValue[w];
                windowValue[w] = weight[r];
            }
        }
        if (windowSum + fpSum > best) {
            best = windowSum + fpSum;
            bestThreshold = threshold;
        }
        return new Optimum(bestThreshold, best);
    }

    /** Row indices by descending score; ties in any order, since S is only read between distinct scores. */
    private static int[] byDescendingScore(double[] score) {
        Integer[] boxed = new Integer[score.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(score[b], score[a]));
        int[] order = new int[boxed.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = boxed[i];
        }
        return order;
    }
}
