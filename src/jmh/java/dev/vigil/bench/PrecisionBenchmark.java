package dev.vigil.bench;

import dev.vigil.detect.Precision;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.eval.Evaluation;
import dev.vigil.eval.LabelledData;
import dev.vigil.testdata.GaussianStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code vigil.memory.precision} measured: for each model that keeps a window of points, at float32 and float64,
 * the mean ROC-AUC over the labelled sets (seeds 1-3, as the quality section), the model's own memory estimate
 * per entity key, and score + learn speed (JMH, as the speed section). Run alone with
 * {@code mvn -B -Pbench verify -Dbench.args=precision}.
 */
final class PrecisionBenchmark {
    private static final int SEEDS = 3;
    private static final int[] KEY_DIMENSIONS = {4, 8, 32};
    private static final ModelType[] MODELS = {ModelType.ISOLATION_FOREST, ModelType.KNN, ModelType.ADAPTIVE_SVM};
    /** The rule for the default: float32 unless it loses more ROC-AUC than this on a model (noise between seeds is larger). */
    private static final double AUC_NOISE = 0.002;
    /** Points learned before a key's size is taken: twice the largest default window (isolation_forest, 2048). */
    private static final int FULL_WINDOW_POINTS = 4096;

    private PrecisionBenchmark() {
    }

    static String run() throws IOException, RunnerException {
        if (!Files.isDirectory(BenchmarkReport.DATA)) {
            return "Not measured: the labelled data sets are absent at "
                    + BenchmarkReport.DATA.toAbsolutePath().normalize() + ".\n";
        }
        List<LabelledData> sets = new ArrayList<>();
        try (Stream<Path> files = Files.list(BenchmarkReport.DATA)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv.gz")).sorted().toList()) {
                sets.add(LabelledData.read(f));
            }
        }
        Options options = new OptionsBuilder()
                .include(DetectorBenchmark.class.getName() + ".scoreLearn")
                .param("model", "isolation_forest", "knn", "adaptive_svm")
                .param("precision", "float32", "float64")
                .build();
        List<RunResult> speeds = new ArrayList<>(new Runner(options).run());

        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" with `mvn -B -Pbench verify -Dbench.args=precision` on ")
                .append(BenchmarkReport.Machine.describe()).append(". ROC-AUC: mean over the ").append(sets.size())
                .append(" labelled sets of the mean of seeds 1-3, as in the quality section (recommended preprocessing, ")
                .append("model defaults). Bytes per key: the pipeline's own estimate (`sizeInBytes`) at 4, 8 and 32 ")
                .append("features once its window is full (").append(FULL_WINDOW_POINTS).append(" Gaussian points ")
                .append("learned; a key that has seen fewer holds less). Speed: JMH score + learn as in the speed ")
                .append("section, 8 features, both precisions in one run.\n\n")
                .append("| model | precision | mean ROC-AUC | Δ vs float64 | bytes/key, 4 features | 8 features | ")
                .append("32 features | score + learn points/s | ± (99.9%) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        boolean float32Holds = true;
        for (ModelType type : MODELS) {
            double[] auc = new double[2];
            long[][] bytes = new long[2][KEY_DIMENSIONS.length];
            Precision[] both = {Precision.FLOAT32, Precision.FLOAT64};
            for (int p = 0; p < 2; p++) {
                for (LabelledData d : sets) {
                    for (int seed = 1; seed <= SEEDS; seed++) {
                        auc[p] += Evaluation.run(d.shuffled(seed), spec(type, seed, both[p])).rocAuc()
                                / (SEEDS * sets.size());
                    }
                }
                for (int i = 0; i < KEY_DIMENSIONS.length; i++) {
                    bytes[p][i] = fullWindowBytes(spec(type, 1, both[p]), KEY_DIMENSIONS[i]);
                }
            }
            double delta = auc[0] - auc[1];
            float32Holds &= Math.abs(delta) < AUC_NOISE && bytes[0][1] < bytes[1][1];
            for (int p = 0; p < 2; p++) {
                RunResult speed = speed(speeds, type.configName(), both[p].configName());
                md.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %s | %,d | %,d | %,d | %,.0f | %,.0f |%n",
                        label(type), both[p].configName(), auc[p],
                        p == 0 ? String.format(Locale.ROOT, "%+.5f", delta) : "", bytes[p][0], bytes[p][1], bytes[p][2],
                        speed.getPrimaryResult().getScore(), speed.getPrimaryResult().getScoreError()));
            }
            System.out.printf(Locale.ROOT, "precision: %s done%n", type.configName());
        }
        md.append(String.format(Locale.ROOT, "%nRule: the default is float32 when it loses less than %.3f mean ROC-AUC on "
                + "every model and takes less memory, else float64. Here: %s. `Precision.DEFAULT` is %s.%n", AUC_NOISE,
                float32Holds ? "float32 holds" : "float64 wins", Precision.DEFAULT.configName()));
        return md.toString();
    }

    /** A key's size once its window is full: windows and trees grow as points arrive, so a new pipeline is small. */
    private static long fullWindowBytes(PipelineSpec spec, int dimensions) {
        Pipeline pipeline = spec.newPipeline(dimensions);
        for (double[] x : new GaussianStream(dimensions, 3, 1).next(FULL_WINDOW_POINTS)) {
            pipeline.scoreLearn(x);
        }
        return pipeline.sizeInBytes();
    }

    private static PipelineSpec spec(ModelType type, int seed, Precision precision) {
        return PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(),
                Map.of("seed", Integer.toString(seed)), type.recommendedPreprocessing(), Map.of(), precision);
    }

    private static String label(ModelType type) {
        List<String> stages = new ArrayList<>(type.recommendedPreprocessing());
        stages.add(type.configName());
        return String.join(" \\| ", stages);
    }

    private static RunResult speed(List<RunResult> results, String model, String precision) {
        return results.stream()
                .filter(r -> model.equals(r.getParams().getParam("model")))
                .filter(r -> precision.equals(r.getParams().getParam("precision")))
                .findFirst().orElseThrow();
    }
}
