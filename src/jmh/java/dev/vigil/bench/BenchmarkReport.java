package dev.vigil.bench;

import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.eval.Evaluation;
import dev.vigil.eval.LabelledData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Measures and rewrites the generated sections of {@code BENCHMARKS.md}: detector quality (ROC-AUC and PR-AUC of
 * every model on every labelled set, mean of seeds 1 to 3), detector speed (JMH, points per second and bytes
 * allocated per point) and route throughput ({@link RouteBenchmark}). Every figure of one section comes from the
 * same run.
 *
 * <p>{@code mvn -B -Pbench verify} runs all; {@code -Dbench.args=quality}, {@code speed}, {@code precision}
 * ({@link PrecisionBenchmark}), {@code routes}, {@code caching} ({@link CachingBenchmark}), {@code severity}
 * ({@link SeverityBenchmark}), {@code explain} ({@link ExplainBenchmark}) or {@code nab} ({@link NabBenchmark})
 * one, or several separated by spaces. {@code latency} ({@link LatencyBenchmark}: single-point HTTP latency at a
 * fixed rate, against a baseline checkout when given), {@code kafka} ({@link KafkaBenchmark}: a backlog drained
 * from a standalone broker, against a baseline jar when given) and {@code soak} ({@link SoakBenchmark}:
 * minutes of steady load on the packaged jar, into {@code docs/reliability.md}) run only when named.
 */
public final class BenchmarkReport {
    static final Path DATA = Path.of("..", "shared", "data", "tabular");
    static final Path REPORT = Path.of("BENCHMARKS.md");
    private static final int SEEDS = 3;

    private BenchmarkReport() {
    }

    public static void main(String[] args) throws Exception {
        boolean all = args.length == 0;
        List<String> parts = List.of(args);
        if (all || parts.contains("quality")) {
            Sections.replace(REPORT, "detector-quality", quality());
        }
        if (all || parts.contains("speed")) {
            Sections.replace(REPORT, "detector-speed", speed());
        }
        if (all || parts.contains("precision")) {
            Sections.replace(REPORT, "memory-precision", PrecisionBenchmark.run());
        }
        if (all || parts.contains("routes")) {
            Sections.replace(REPORT, "route-throughput", RouteBenchmark.run());
        }
        if (all || parts.contains("caching")) {
            Sections.replace(REPORT, "caching", CachingBenchmark.run());
        }
        if (all || parts.contains("severity")) {
            Sections.replace(REPORT, "severity", SeverityBenchmark.run());
        }
        if (all || parts.contains("explain")) {
            Sections.replace(REPORT, "explanations", ExplainBenchmark.run());
        }
        if (all || parts.contains("nab")) {
            Sections.replace(REPORT, "nab-dev", NabBenchmark.run());
        }
        // Not part of the default run: minutes at a fixed rate by design, best with -Dlatency.baseline=DIR.
        if (parts.contains("latency")) {
            Sections.replace(REPORT, "http-latency", LatencyBenchmark.run());
        }
        // Not part of the default run: a standalone broker and 24 million points, about 20 minutes.
        if (parts.contains("kafka")) {
            Sections.replace(REPORT, "kafka-backlog", KafkaBenchmark.run());
        }
        // Not part of the default run: it takes minutes at a fixed rate by design, and writes docs/reliability.md.
        if (parts.contains("soak")) {
            SoakBenchmark.Outcome soak = SoakBenchmark.run();
            soak.write();
            if (!soak.passed()) {
                throw new IllegalStateException("soak: " + soak.verdict());
            }
        }
    }

    /** A model as benchmarked: its type, its recommended preprocessing, and parameters beyond the defaults. */
    record Variant(String label, ModelType type, Map<String, String> params) {
        PipelineSpec spec(int seed) {
            Map<String, String> p = new LinkedHashMap<>(params);
            p.put("seed", Integer.toString(seed));
            return PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(), p,
                    type.recommendedPreprocessing(), Map.of());
        }
    }

    static String quality() throws IOException {
        if (!Files.isDirectory(DATA)) {
            return "Not measured: the labelled data sets are absent at " + DATA.toAbsolutePath().normalize() + ".\n";
        }
        List<Variant> variants = new ArrayList<>();
        for (ModelType type : ModelType.values()) {
            variants.add(new Variant(label(type), type, Map.of()));
        }
        variants.add(new Variant("isolation_forest, max_leaf_samples=32", ModelType.ISOLATION_FOREST,
                Map.of("max_leaf_samples", "32")));
        List<LabelledData> sets = new ArrayList<>();
        try (Stream<Path> files = Files.list(DATA)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv.gz")).sorted().toList()) {
                sets.add(LabelledData.read(f));
            }
        }
        double[][] roc = new double[sets.size()][variants.size()];
        double[][] pr = new double[sets.size()][variants.size()];
        for (int s = 0; s < sets.size(); s++) {
            for (int seed = 1; seed <= SEEDS; seed++) {
                LabelledData shuffled = sets.get(s).shuffled(seed);
                for (int v = 0; v < variants.size(); v++) {
                    Evaluation.Result r = Evaluation.run(shuffled, variants.get(v).spec(seed));
                    roc[s][v] += r.rocAuc() / SEEDS;
                    pr[s][v] += r.prAuc() / SEEDS;
                }
            }
            System.out.printf(Locale.ROOT, "quality: %s done%n", sets.get(s).name());
        }
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" with `mvn -B -Pbench verify` on ").append(Machine.describe())
                .append(". Streaming, prequential (score, then learn), rows shuffled with ")
                .append("`Collections.shuffle(rows, new Random(seed))` and the model seeded with the same seed, ")
                .append("mean of seeds 1-3; every model with its recommended preprocessing (`scaler` for knn and ")
                .append("adaptive_svm). `random_cut_forest` is AWS RCF 4.3.0 (50 trees, sample 256) measured in the ")
                .append("same run; the batch column is the reference Smile IsolationForest fit on all rows ")
                .append("(`../shared/reference/anchors.md`), an upper bound a streaming model rarely reaches.\n\n");
        table(md, "ROC-AUC", sets, variants, roc, true);
        md.append('\n');
        table(md, "PR-AUC (average precision)", sets, variants, pr, false);
        return md.toString();
    }

    private static String label(ModelType type) {
        List<String> stages = new ArrayList<>(type.recommendedPreprocessing());
        stages.add(type.configName());
        return String.join(" \\| ", stages);
    }

    private static final Map<String, Double> BATCH_REFERENCE = Map.ofEntries(
            Map.entry("annthyroid", 0.798), Map.entry("breastw", 0.984), Map.entry("cardio", 0.919),
            Map.entry("glass", 0.800), Map.entry("ionosphere", 0.853), Map.entry("letter", 0.707),
            Map.entry("mammography", 0.864), Map.entry("pendigits", 0.935), Map.entry("satellite", 0.719),
            Map.entry("satimage-2", 0.996), Map.entry("shuttle", 0.988), Map.entry("thyroid", 0.967),
            Map.entry("vowels", 0.804), Map.entry("wbc", 0.995));

    private static void table(StringBuilder md, String title, List<LabelledData> sets, List<Variant> variants,
            double[][] values, boolean withReference) {
        int rcf = ModelType.RANDOM_CUT_FOREST.ordinal();
        md.append("**").append(title).append("**\n\n| data | rows | dims |");
        for (Variant v : variants) {
            md.append(' ').append(v.label()).append(" |");
        }
        md.append(" best Vigil model |");
        if (withReference) {
            md.append(" batch reference |");
        }
        md.append("\n|---|---:|---:|");
        md.append("---:|".repeat(variants.size() + 1 + (withReference ? 1 : 0))).append('\n');
        double[] mean = new double[variants.size()];
        double bestMean = 0;
        double referenceMean = 0;
        int wins = 0;
        for (int s = 0; s < sets.size(); s++) {
            LabelledData d = sets.get(s);
            md.append("| ").append(d.name()).append(" | ").append(d.rows()).append(" | ").append(d.dimensions()).append(" |");
            int best = -1;
            for (int v = 0; v < variants.size(); v++) {
                mean[v] += values[s][v] / sets.size();
                md.append(String.format(Locale.ROOT, " %.3f |", values[s][v]));
                if (v < ModelType.values().length && v != rcf && (best < 0 || values[s][v] > values[s][best])) {
                    best = v;
                }
            }
            bestMean += values[s][best] / sets.size();
            if (values[s][best] > values[s][rcf]) {
                wins++;
            }
            md.append(String.format(Locale.ROOT, " %.3f (%s) |", values[s][best], variants.get(best).type().configName()));
            if (withReference) {
                double reference = BATCH_REFERENCE.getOrDefault(d.name(), Double.NaN);
                referenceMean += reference / sets.size();
                md.append(String.format(Locale.ROOT, " %.3f |", reference));
            }
            md.append('\n');
        }
        md.append("| **mean** | | |");
        for (double m : mean) {
            md.append(String.format(Locale.ROOT, " **%.3f** |", m));
        }
        md.append(String.format(Locale.ROOT, " **%.3f** |", bestMean));
        if (withReference) {
            md.append(String.format(Locale.ROOT, " **%.3f** |", referenceMean));
        }
        md.append(String.format(Locale.ROOT, "%n%nThe best Vigil model beats random_cut_forest on %d of %d sets.%n",
                wins, sets.size()));
    }

    static String speed() throws RunnerException {
        Options scoreLearn = new OptionsBuilder()
                .include(DetectorBenchmark.class.getName() + ".scoreLearn")
                .addProfiler(GCProfiler.class)
                .build();
        Options scoreOnly = new OptionsBuilder()
                .include(DetectorBenchmark.class.getName() + ".scoreOnly")
                .param("model", "isolation_forest", "random_cut_forest")
                .addProfiler(GCProfiler.class)
                .build();
        Options leaf32 = new OptionsBuilder()
                .include(DetectorBenchmark.class.getName() + ".scoreLearn")
                .param("model", "isolation_forest")
                .param("params", "max_leaf_samples=32")
                .addProfiler(GCProfiler.class)
                .build();
        List<RunResult> results = new ArrayList<>();
        results.addAll(new Runner(scoreLearn).run());
        results.addAll(new Runner(scoreOnly).run());
        results.addAll(new Runner(leaf32).run());

        double rcf = throughput(results, "scoreLearn", "random_cut_forest", "");
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" with `mvn -B -Pbench verify` on ").append(Machine.describe())
                .append(". JMH 1.37, one fork, 3 warm-up and 5 measured iterations of 2 s, single thread, ")
                .append("8-feature Gaussian-mixture points (`GaussianStream`), the window already full, model ")
                .append("defaults; allocation from `-prof gc` (`gc.alloc.rate.norm`). The ratio column compares ")
                .append("with random_cut_forest score + learn from the same run.\n\n")
                .append("| benchmark | model | points/s | ± (99.9%) | bytes allocated / point | vs random_cut_forest |\n")
                .append("|---|---|---:|---:|---:|---:|\n");
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String model = r.getParams().getParam("model");
            String params = r.getParams().getParam("params");
            Result primary = r.getPrimaryResult();
            Result alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %s | %.1f× |%n", method,
                    model + (params == null || params.isEmpty() ? "" : " (" + params + ")"), primary.getScore(),
                    primary.getScoreError(), alloc == null ? "n/a" : String.format(Locale.ROOT, "%.2f", alloc.getScore()),
                    primary.getScore() / rcf));
        }
        return md.toString();
    }

    private static double throughput(Collection<RunResult> results, String method, String model, String params) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .filter(r -> model.equals(r.getParams().getParam("model")))
                .filter(r -> params.equals(r.getParams().getParam("params")))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN);
    }

    /** The machine a figure was measured on, in one line. */
    static final class Machine {
        static String describe() {
            String cpu = "unknown CPU";
            try {
                cpu = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
                        .filter(l -> l.startsWith("model name")).map(l -> l.replaceAll(".*:\\s*", ""))
                        .findFirst().orElse(cpu);
            } catch (IOException e) {
                // not Linux: keep "unknown CPU"
            }
            return String.format(Locale.ROOT, "%d cores (%s), %d MiB max heap, Java %s", Runtime.getRuntime()
                    .availableProcessors(), cpu, Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        }
    }
}
