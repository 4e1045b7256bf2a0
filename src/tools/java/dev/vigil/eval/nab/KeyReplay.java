package dev.vigil.eval.nab;

import dev.vigil.detect.grade.ScoreRanks;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;

/**
 * Streams one series through a fresh pipeline exactly as the service scores a key (DetectionService): each point
 * is scored and then learned, in order, and its rarity is the score's rank among the key's earlier scores
 * ({@link ScoreRanks}), taken before the score joins them.
 */
final class KeyReplay {
    /** Every point's score and rarity, in row order. */
    record PointScores(double[] score, double[] rarity) {
    }

    private KeyReplay() {
    }

    static PointScores run(TimeSeries series, PipelineSpec spec, int rarityWindow) {
        Pipeline pipeline = spec.newPipeline(series.dimensions());
        ScoreRanks ranks = new ScoreRanks(rarityWindow);
        double[] score = new double[series.rows()];
        double[] rarity = new double[series.rows()];
        for (int i = 0; i < score.length; i++) {
            try {
                score[i] = pipeline.scoreLearn(series.points()[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(series.name() + ", row " + i + ": " + e.getMessage(), e);
            }
            rarity[i] = ranks.rarity(score[i]);
            ranks.add(score[i]);
        }
        return new PointScores(score, rarity);
    }
}
