package dev.vigil.eval.nab;

import dev.vigil.detect.grade.KeyGrading;
import dev.vigil.detect.grade.ScoreRanks;
import dev.vigil.detect.grade.Severity;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;

/**
 * Streams one series through a fresh pipeline exactly as the service scores a key (DetectionService): each point
 * is scored and then learned, in order; then grades the scores with the key's {@link KeyGrading} (warm-up, rarity,
 * likelihood, severity, events), the service's own code. The two steps are apart so that one run of a model can be
 * graded several ways.
 */
final class KeyReplay {
    /** Every point's outputs, in row order; {@code event} 0 where the point is not an anomaly. */
    record PointScores(double[] score, double[] rarity, double[] likelihood, Severity[] severity, boolean[] warmup,
            long[] event, boolean[] repeat) {
    }

    private KeyReplay() {
    }

    /** Every point's score from a fresh pipeline of {@code spec}. */
    static double[] score(TimeSeries series, PipelineSpec spec) {
        Pipeline pipeline = spec.newPipeline(series.dimensions());
        double[] scores = new double[series.rows()];
        for (int i = 0; i < scores.length; i++) {
            try {
                scores[i] = pipeline.scoreLearn(series.points()[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(series.name() + ", row " + i + ": " + e.getMessage(), e);
            }
        }
        return scores;
    }

    /** The grades of {@code scores}, the scores of {@code series}' points, by a new key's grading. */
    static PointScores grade(TimeSeries series, double[] scores, NabReplay.Grader grader, int warmup) {
        KeyGrading grading = new KeyGrading(grader.grading(), warmup, grader.eventGap(),
                new ScoreRanks(grader.rarityWindow()), series.dimensions(), grader.steps());
        int n = scores.length;
        PointScores out = new PointScores(scores, new double[n], new double[n], new Severity[n], new boolean[n],
                new long[n], new boolean[n]);
        for (int i = 0; i < n; i++) {
            KeyGrading.Grade g = grading.grade(scores[i], series.points()[i]);
            out.rarity()[i] = g.rarity();
            out.likelihood()[i] = g.likelihood();
            out.severity()[i] = g.severity();
            out.warmup()[i] = g.warmup();
            out.event()[i] = g.event();
            out.repeat()[i] = g.repeat();
        }
        return out;
    }
}
