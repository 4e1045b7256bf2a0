package dev.vigil.detect.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateFormat;
import dev.vigil.testing.StateBytes;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rarity against exact ranks, its bounds while few scores are known, forgetting, and its checkpoint. */
class ScoreRanksTest {

    private static double[] scores(int n, long seed, double mean) {
        Random random = new Random(seed);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.min(1, Math.max(0, mean + 0.06 * random.nextGaussian()));
        }
        return s;
    }

    @Test
    void rarity_matchesExactRank_inTheBodyAndTheTail() {
        double[] s = scores(20_000, 1, 0.45);
        ScoreRanks ranks = new ScoreRanks(20_000);
        for (double v : s) {
            ranks.add(v);
        }
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999, 0.9999}) {
            double score = sorted[(int) (q * sorted.length)];
            double rarity = ranks.rarity(score);
            double tailRatio = (1 - rarity) / (1 - q);
            System.out.printf("quantile %.4f: rarity %.5f (tail ratio %.2f)%n", q, rarity, tailRatio);
            assertEquals(q, rarity, 0.002, "rarity of the " + q + " quantile");
            assertTrue(tailRatio > 0.5 && tailRatio < 2, "tail within a factor 2 at " + q + ": " + tailRatio);
        }
    }

    @Test
    void rarity_fewScores_cannotClaimMoreThanTheyShow() {
        ScoreRanks ranks = new ScoreRanks(10_000);
        assertEquals(0, ranks.rarity(0.99));
        for (double v : scores(100, 2, 0.4)) {
            ranks.add(v);
        }
        assertEquals(100.0 / 101, ranks.rarity(1.0), 1e-12);
        assertTrue(Double.isNaN(ranks.rarity(Double.NaN)));
    }

    @Test
    void rarity_afterTwoWindows_theOldScoresAreForgotten() {
        ScoreRanks ranks = new ScoreRanks(1000);
        for (double v : scores(1000, 3, 0.3)) {
            ranks.add(v);
        }
        assertTrue(ranks.rarity(0.5) > 0.99, "0.5 is rare among scores around 0.3");
        for (double v : scores(2000, 4, 0.7)) {
            ranks.add(v);
        }
        assertTrue(ranks.rarity(0.5) < 0.01, "0.5 is common-to-low among scores around 0.7: " + ranks.rarity(0.5));
        assertTrue(ranks.size() >= 1000 && ranks.size() <= 2000, "between one and two windows: " + ranks.size());
    }

    @Test
    void state_roundTrip_sameRarities_damageRefused() throws IOException {
        ScoreRanks ranks = new ScoreRanks(700);
        for (double v : scores(1500, 5, 0.5)) {
            ranks.add(v);
        }
        StateFormat<ScoreRanks> format = StateFormat.of(ScoreRanks.class, new ScoreRanksStateMapper(),
                new ScoreRanksStateCodec());
        byte[] bytes = StateBytes.of(format, ranks);
        ScoreRanks restored = new ScoreRanks(700);
        StateBytes.restore(format, restored, bytes);
        double[] next = scores(2000, 6, 0.55);
        for (double v : next) {
            assertEquals(ranks.rarity(v), restored.rarity(v));
            ranks.add(v);
            restored.add(v);
        }

        byte[] damaged = bytes.clone();
        damaged[damaged.length - 1] = (byte) 0xFF; // the last bin now holds more than the generation
        assertThrows(CheckpointFormatException.class, () -> StateBytes.restore(format, new ScoreRanks(700), damaged));
        assertThrows(CheckpointFormatException.class, () -> StateBytes.restore(format, new ScoreRanks(800), bytes));
    }
}
