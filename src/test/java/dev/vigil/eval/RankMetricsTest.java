package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RankMetricsTest {

    @Test
    void rocAuc_perfectRanking_isOne() {
        assertEquals(1.0, RankMetrics.rocAuc(new double[] {0.1, 0.2, 0.8, 0.9}, new int[] {0, 0, 1, 1}), 1e-12);
    }

    @Test
    void rocAuc_invertedRanking_isZero() {
        assertEquals(0.0, RankMetrics.rocAuc(new double[] {0.9, 0.8, 0.2, 0.1}, new int[] {0, 0, 1, 1}), 1e-12);
    }

    @Test
    void rocAuc_handComputedCase_matchesPairCount() {
        // positives 0.35, 0.8; negatives 0.1, 0.4, 0.7.
        // Pairs won: 0.35 beats 0.1 (1), 0.8 beats all three (3) -> 4 of 6.
        double auc = RankMetrics.rocAuc(new double[] {0.1, 0.35, 0.4, 0.7, 0.8}, new int[] {0, 1, 0, 0, 1});
        assertEquals(4.0 / 6.0, auc, 1e-12);
    }

    @Test
    void rocAuc_tiesBetweenClasses_countOneHalf() {
        // positive 0.5 ties negative 0.5 (1/2) and beats 0.2 (1); positive 0.9 beats both (2) -> 3.5 of 4.
        double auc = RankMetrics.rocAuc(new double[] {0.2, 0.5, 0.5, 0.9}, new int[] {0, 0, 1, 1});
        assertEquals(3.5 / 4.0, auc, 1e-12);
    }

    @Test
    void rocAuc_allScoresEqual_isOneHalf() {
        assertEquals(0.5, RankMetrics.rocAuc(new double[] {3, 3, 3, 3, 3}, new int[] {1, 0, 0, 1, 0}), 1e-12);
    }

    @Test
    void rocAuc_oneClassOnly_isNaN() {
        assertTrue(Double.isNaN(RankMetrics.rocAuc(new double[] {0.1, 0.2}, new int[] {0, 0})));
    }

    @Test
    void averagePrecision_handComputedCase_matchesStepSum() {
        // Descending: 0.9 (1), 0.8 (0), 0.7 (1), 0.1 (0). Thresholds where recall rises:
        // after 0.9: recall 1/2, precision 1 -> 0.5; after 0.7: recall 1, precision 2/3 -> +1/3.
        double ap = RankMetrics.averagePrecision(new double[] {0.1, 0.9, 0.7, 0.8}, new int[] {0, 1, 1, 0});
        assertEquals(0.5 + 1.0 / 3.0, ap, 1e-12);
    }

    @Test
    void averagePrecision_tiedScores_enterTogether() {
        // 0.9 (1); then 0.5 tied for a positive and a negative: recall 1/2 -> 1, precision 2/3 at that step.
        double ap = RankMetrics.averagePrecision(new double[] {0.9, 0.5, 0.5, 0.1}, new int[] {1, 1, 0, 0});
        assertEquals(0.5 * 1.0 + 0.5 * (2.0 / 3.0), ap, 1e-12);
    }

    @Test
    void averagePrecision_perfectRanking_isOne() {
        assertEquals(1.0, RankMetrics.averagePrecision(new double[] {0.1, 0.9, 0.8}, new int[] {0, 1, 1}), 1e-12);
    }

    @Test
    void metrics_mismatchedLengthsOrBadLabels_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> RankMetrics.rocAuc(new double[] {1}, new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> RankMetrics.rocAuc(new double[] {1, 2}, new int[] {2, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> RankMetrics.averagePrecision(new double[] {Double.NaN, 2}, new int[] {1, 0}));
    }
}
