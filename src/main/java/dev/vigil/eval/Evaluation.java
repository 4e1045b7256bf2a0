package dev.vigil.eval;

import dev.vigil.detect.Pipeline;
import dev.vigil.detect.PipelineSpec;

/**
 * Streams a labelled data set through a fresh pipeline prequentially (each point scored, then learned, in
 * order) and measures ranking quality, speed and model memory.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** What one model did on one data set. */
    public record Result(String dataset, String model, int rows, int dims, double rocAuc, double prAuc,
            double seconds, double pointsPerSecond, long memoryBytes, double[] scores) {

        /** One flat JSON object, the line {@code vigil-eval} prints. */
        public String toJson() {
            return "{\"dataset\":" + Json.string(dataset) + ",\"model\":" + Json.string(model)
                    + ",\"rows\":" + rows + ",\"dims\":" + dims
                    + ",\"roc_auc\":" + Json.number(rocAuc, 4) + ",\"pr_auc\":" + Json.number(prAuc, 4)
                    + ",\"seconds\":" + Json.number(seconds, 3) + ",\"points_per_sec\":" + Math.round(pointsPerSecond)
                    + ",\"memory_bytes\":" + memoryBytes + "}";
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
                scores.length / Math.max(seconds, 1e-9), pipeline.sizeInBytes(), scores);
    }
}
