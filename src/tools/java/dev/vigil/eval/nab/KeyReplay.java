package dev.vigil.eval.nab;

import dev.vigil.detect.grade.KeyGrading;
import dev.vigil.detect.grade.ScoreRanks;
import dev.vigil.detect.grade.Severity;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;

/**
 * Streams one series through a fresh pipeline exactly as the service scores a key (DetectionService): each point
 * is scored and then learned, in order, and graded by the key's {@link KeyGrading} (warm-up, rarity, likelihood,
 * severity, events), the service's own code.
 */
final class KeyReplay {
    /** Every point's outputs, in row order; {@code event} 0 where the point is not an anomaly. */
    record PointScores(double[] score, double[] rarity, double[] likelihood, Severity[] severity, boolean[] warmup,
            long[] event) {
    }

    private KeyReplay() {
    }

    static PointScores run(TimeSeries series, PipelineSpec spec, NabEvaluation.Grader grader) {
        Pipeline pipeline = spec.newPipeline(series.dimensions());
        KeyGrading grading = new KeyGrading(grader.grading(), grader.warmupFor(spec), grader.eventGap(),
                new ScoreRanks(grader.rarityWindow()), series.dimensions());
        int n = series.rows();
        PointScores out = new PointScores(new double[n], new double[n], new double[n], new Severity[n],
                new boolean[n], new long[n]);
        for (int i = 0; i < n; i++) {
            double[] point = series.points()[i];
            double score;
            try {
                score = pipeline.scoreLearn(point);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(series.name() + ", row " + i + ": " + e.getMessage(), e);
            }
            KeyGrading.Grade g = grading.grade(score, point);
            out.score()[i] = score;
            out.rarity()[i] = g.rarity();
            out.likelihood()[i] = g.likelihood();
            out.severity()[i] = g.severity();
            out.warmup()[i] = g.warmup();
            out.event()[i] = g.event();
        }
        return out;
    }
}
