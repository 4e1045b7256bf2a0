package dev.vigil.eval;

import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.ScoreRanks;
import dev.vigil.detect.grade.Severity;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.eval.io.Json;
import dev.vigil.service.point.Result;

/**
 * Streams a labelled data set through a fresh pipeline prequentially (each point scored, then learned, in
 * order) and measures ranking quality, speed and model memory, and the alert volume to expect: the share of
 * points at each severity under both grading modes, with the default thresholds.
 */
public final class Evaluation {
    /** The service's default {@code vigil.thresholds.rarity.window}. */
    static final int RARITY_WINDOW = 20_000;

    private Evaluation() {
    }

    /** Shares of all points graded medium, high and critical (exactly that severity). */
    public record SeverityShares(double medium, double high, double critical) {
        static SeverityShares of(double[] scores, Grading grading) {
            ScoreRanks ranks = new ScoreRanks(RARITY_WINDOW);
            int[] counts = new int[Severity.values().length];
            for (double score : scores) {
                counts[grading.severity(score, ranks.rarity(score)).ordinal()]++;
                ranks.add(score);
            }
            double n = Math.max(scores.length, 1);
            return new SeverityShares(counts[Severity.MEDIUM.ordinal()] / n, counts[Severity.HIGH.ordinal()] / n,
                    counts[Severity.CRITICAL.ordinal()] / n);
        }

        String toJson() {
            return "{\"medium\":" + Json.number(medium, 5) + ",\"high\":" + Json.number(high, 5)
                    + ",\"critical\":" + Json.number(critical, 5) + "}";
        }
    }

    /** What one model did on one data set. */
    public record Result(String dataset, String model, int rows, int dims, double rocAuc, double prAuc,
            double seconds, double pointsPerSecond, long memoryBytes, double[] scores, SeverityShares fixed,
            SeverityShares quantile) {

        /** One flat JSON object, the line {@code vigil-eval} prints. */
        public String toJson() {
            return "{\"dataset\":" + Json.string(dataset) + ",\"model\":" + Json.string(model)
                    + ",\"rows\":" + rows + ",\"dims\":" + dims
                    + ",\"roc_auc\":" + Json.number(rocAuc, 4) + ",\"pr_auc\":" + Json.number(prAuc, 4)
                    + ",\"seconds\":" + Json.number(seconds, 3) + ",\"points_per_sec\":" + Math.round(pointsPerSecond)
                    + ",\"memory_bytes\":" + memoryBytes
                    + ",\"flagged\":{\"fixed\":" + fixed.toJson() + ",\"quantile\":" + quantile.toJson() + "}}";
        }
    }

    public static Result run(LabelledData data, PipelineSpec spec) {
        Pipeline pipeline = spec.newPipeline(data.dimensions());
        double[] scores = new double[data.rows()];
        long start = System.nanoTime();
        for (int i = 0; i < scores.length; i++) {
            scores[i] = pipeline.scoreLearn(data.point(i));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int[] labels = data.labels();
        return new Result(data.name(), spec.description(), data.rows(), data.dimensions(),
                RankMetrics.rocAuc(scores, labels), RankMetrics.averagePrecision(scores, labels), seconds,
                scores.length / Math.max(seconds, 1e-9), pipeline.sizeInBytes(), scores,
                SeverityShares.of(scores, new Grading(Grading.Mode.FIXED, Thresholds.DEFAULT, Grading.DEFAULT_RARITIES)),
                SeverityShares.of(scores, new Grading(Grading.Mode.QUANTILE, Thresholds.DEFAULT,
                        Grading.DEFAULT_RARITIES)));
    }
}
