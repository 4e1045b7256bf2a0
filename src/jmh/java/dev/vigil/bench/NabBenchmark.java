package dev.vigil.bench;

import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.KeyGrading;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.detect.pipeline.Preset;
import dev.vigil.eval.nab.NabEvaluation;
import dev.vigil.eval.nab.NabReplay;
import dev.vigil.eval.nab.ProfileResult;
import dev.vigil.eval.nab.ScoreField;
import dev.vigil.testdata.GaussianStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Vigil on NAB's development split ({@code ../shared/data/timeseries/nab-dev}): each series one key, fed in time
 * order, scored then learned point by point and graded by the service's own {@code KeyGrading} ({@link NabReplay},
 * the code of {@code vigil-eval --windows}), scored by NAB's scorer in its three profiles. The preset for metric
 * streams; every model point-wise graded by likelihood, rarity and score; shingle sizes and delta; each step of the
 * grading left out in turn; each model's warm-up; the half-split check; throughput beside; the published detectors'
 * scores from the data folder beside. Every Vigil figure comes from this run.
 */
final class NabBenchmark {
    static final Path NAB = Path.of("..", "shared", "data", "timeseries", "nab-dev");
    private static final int[] WARMUPS = {0, 50, 100, 150, 200, 250};
    private static final int[] SHINGLES = {1, 4, 8, 16, 24, 32, 48};
    private static final List<ScoreField> FIELDS = List.of(ScoreField.LIKELIHOOD, ScoreField.RARITY,
            ScoreField.SCORE);
    /** The default warm-up of a model: the shortest of {@link #WARMUPS} this close to its best (standard). */
    static final double WARMUP_MARGIN = 1.0;

    private NabBenchmark() {
    }

    /**
     * One configuration's run: its scores, graded with every step and the configuration's own warm-up; and the
     * configuration with a given seed.
     */
    private record Run(String label, NabReplay.Scores scores, NabReplay.Graded graded, IntFunction<PipelineSpec> seeded) {
        double pointsPerSecond(long points) {
            return points / (scores.seconds() + graded.seconds());
        }
    }

    static String run() throws IOException {
        Path data = NAB.resolve("data");
        Path windows = NAB.resolve("labels/combined_windows.json");
        if (!Files.isDirectory(data) || !Files.isRegularFile(windows)) {
            return "Not measured: NAB-dev is absent at " + NAB.toAbsolutePath().normalize() + ".\n";
        }
        NabReplay corpus = NabReplay.read(data, windows, "timestamp", null);
        long points = corpus.points();

        Preset preset = Preset.METRICS;
        NabReplay.Grader presetGrader = grader(preset.warmup(), KeyGrading.Steps.ALL);
        IntFunction<PipelineSpec> presetSpec = seed -> spec(preset.model(), preset.preprocessing(),
                preset.transformParams(), seed);
        warmUpTheJit(corpus, presetSpec);
        Run metrics = run(corpus, "`vigil.preset=metrics` (" + describe(presetSpec.apply(0)) + ", shingle 2, warm-up "
                + preset.warmup() + ")", presetSpec, presetGrader);
        List<Run> pointwise = new ArrayList<>();
        for (ModelType type : ModelType.values()) {
            IntFunction<PipelineSpec> spec = seed -> spec(type.configName(), type.recommendedPreprocessing(),
                    Map.of(), seed);
            pointwise.add(run(corpus, describe(spec.apply(0)), spec, grader(-1, KeyGrading.Steps.ALL)));
        }
        List<Run> transforms = new ArrayList<>();
        for (int size : SHINGLES) {
            IntFunction<PipelineSpec> spec = seed -> spec("isolation_forest", List.of("shingle", "scaler"),
                    Map.of("shingle", Map.of("size", Integer.toString(size))), seed);
            transforms.add(run(corpus, describe(spec.apply(0)) + ", shingle " + size, spec, presetGrader));
        }
        IntFunction<PipelineSpec> delta = seed -> spec("isolation_forest", List.of("delta", "shingle", "scaler"),
                preset.transformParams(), seed);
        transforms.add(run(corpus, describe(delta.apply(0)) + ", shingle 2", delta, presetGrader));
        for (ModelType type : ModelType.values()) {
            if (type.configName().equals(preset.model())) {
                continue;
            }
            IntFunction<PipelineSpec> spec = seed -> spec(type.configName(), preset.preprocessing(),
                    preset.transformParams(), seed);
            transforms.add(run(corpus, describe(spec.apply(0)) + ", shingle 2", spec,
                    grader(-1, KeyGrading.Steps.ALL)));
        }

        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" with `mvn -B -Pbench verify -Dbench.args=nab` on ")
                .append(BenchmarkReport.Machine.describe()).append(String.format(Locale.ROOT, ". The %d series of "
                + "`../shared/data/timeseries/nab-dev` (%,d points), one key per series, fed in time order: every "
                + "point scored, then learned, and graded by the service's own `KeyGrading` (the code of "
                + "`vigil-eval --windows`); NAB's scorer (checked against the published numenta and randomCutForest "
                + "results, `NabScorerTest`), one threshold per row and profile optimised over the split. Normalised "
                + "scores, null detector 0, perfect 100: standard / reward_low_FP_rate / reward_low_FN_rate. "
                + "Likelihood mode unless the row says otherwise (NAB scores each result's `likelihood`, or its "
                + "`rarity` or `score`; a warm-up point counts as 0), each model with its own warm-up and "
                + "recommended transforms unless the row says otherwise. Points/s: scoring and grading on one "
                + "thread.%n%n", corpus.size(), points));

        md.append("| configuration | NAB scores | standard | reward_low_FP | reward_low_FN | windows found | points/s |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        for (ScoreField field : FIELDS) {
            row(md, field == ScoreField.LIKELIHOOD ? "**" + metrics.label() + "**" : "same", field, corpus, metrics,
                    points, field == ScoreField.LIKELIHOOD);
        }
        md.append("| *point-wise* | | | | | | |\n");
        for (Run r : pointwise) {
            for (ScoreField field : FIELDS) {
                row(md, field == ScoreField.LIKELIHOOD ? r.label() : "same", field, corpus, r, points, false);
            }
        }
        md.append("| *transforms* | | | | | | |\n");
        for (Run r : transforms) {
            row(md, r.label(), ScoreField.LIKELIHOOD, corpus, r, points, false);
        }
        published(md);

        steps(md, corpus, metrics.scores(), preset);
        warmups(md, corpus, metrics, pointwise, preset);

        List<Run> candidates = new ArrayList<>();
        candidates.add(metrics);
        candidates.addAll(pointwise);
        candidates.addAll(transforms);
        halfSplit(md, corpus, candidates, metrics);
        return md.toString();
    }

    private static NabReplay.Grader grader(int warmup, KeyGrading.Steps steps) {
        return new NabReplay.Grader(new Grading(Grading.Mode.LIKELIHOOD, Thresholds.DEFAULT, Grading.DEFAULT_RARITIES),
                warmup, 0, NabEvaluation.DEFAULT_RARITY_WINDOW, steps);
    }

    /**
     * Runs the preset and the cheaper models once untimed, so that the first rows' throughput is not the JIT's
     * compile time.
     */
    private static void warmUpTheJit(NabReplay corpus, IntFunction<PipelineSpec> preset) {
        corpus.grade(corpus.score(preset.apply(0)), grader(-1, KeyGrading.Steps.ALL));
        for (ModelType type : ModelType.values()) {
            if (type != ModelType.RANDOM_CUT_FOREST) {
                corpus.score(spec(type.configName(), type.recommendedPreprocessing(), Map.of(), 0));
            }
        }
    }

    /** {@code seed} 0: the model's default seed, as the service runs it. */
    private static Run run(NabReplay corpus, String label, IntFunction<PipelineSpec> spec, NabReplay.Grader grader) {
        NabReplay.Scores scores = corpus.score(spec.apply(0));
        Run r = new Run(label, scores, corpus.grade(scores, grader), spec);
        System.out.printf(Locale.ROOT, "nab: %s done in %.1f s%n", label, r.scores().seconds() + r.graded().seconds());
        return r;
    }

    private static PipelineSpec spec(String model, List<String> preprocessing,
            Map<String, Map<String, String>> transformParams, int seed) {
        return PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), model, seed == 0 ? Map.of()
                : Map.of("seed", Integer.toString(seed)), preprocessing, transformParams);
    }

    private static String describe(PipelineSpec spec) {
        return spec.description().replace(" | ", " \\| ");
    }

    private static void row(StringBuilder md, String label, ScoreField field, NabReplay corpus, Run r, long points,
            boolean bold) {
        List<ProfileResult> results = corpus.nab(r.graded(), field);
        String b = bold ? "**" : "";
        md.append("| ").append(label).append(" | ").append(field.configName()).append(" |");
        for (ProfileResult p : results) {
            md.append(String.format(Locale.ROOT, " %s%.1f%s |", b, p.normalised(), b));
        }
        md.append(String.format(Locale.ROOT, " %d / %d | %,.0f |%n", results.get(0).windowsDetected(),
                results.get(0).windows(), r.pointsPerSecond(points)));
    }

    /** The published detectors' scores on this split, from the data folder (the data README's table). */
    private static void published(StringBuilder md) throws IOException {
        Path file = NAB.resolve("results/dev_final_results.json");
        if (!Files.isRegularFile(file)) {
            return;
        }
        md.append("| *published detectors (`results/dev_final_results.json`)* | | | | | | |\n");
        Map<String, double[]> scores = NabReplay.published(file);
        scores.entrySet().stream().filter(e -> !e.getKey().equals("null") && !e.getKey().equals("perfect"))
                .sorted(Comparator.comparingDouble(e -> -e.getValue()[0])).forEach(e -> md.append(String.format(
                        Locale.ROOT, "| %s | anomaly_score | %.1f | %.1f | %.1f | | |%n", e.getKey(), e.getValue()[0],
                        e.getValue()[1], e.getValue()[2])));
    }

    /** The preset's scores graded with each step left out in turn, and with none of them. */
    private static void steps(StringBuilder md, NabReplay corpus, NabReplay.Scores scores, Preset preset) {
        md.append("\n**Each step of the grading** (the preset's scores graded again, NAB scoring the likelihood)\n\n")
                .append("| grading | standard | reward_low_FP | reward_low_FN | windows found |\n")
                .append("|---|---:|---:|---:|---:|\n");
        Map<String, NabReplay.Grader> variants = new LinkedHashMap<>();
        variants.put("every step (the preset)", grader(preset.warmup(), KeyGrading.Steps.ALL));
        variants.put("without warm-up", grader(0, KeyGrading.Steps.ALL));
        variants.put("without the range check", grader(preset.warmup(), new KeyGrading.Steps(false, true)));
        variants.put("without the cap after a red likelihood", grader(preset.warmup(),
                new KeyGrading.Steps(true, false)));
        variants.put("none of the three", grader(0, new KeyGrading.Steps(false, false)));
        for (Map.Entry<String, NabReplay.Grader> v : variants.entrySet()) {
            List<ProfileResult> r = corpus.nab(corpus.grade(scores, v.getValue()), ScoreField.LIKELIHOOD);
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d / %d |%n", v.getKey(),
                    r.get(0).normalised(), r.get(1).normalised(), r.get(2).normalised(), r.get(0).windowsDetected(),
                    r.get(0).windows()));
        }
    }

    /**
     * Each model's warm-up, measured two ways: its NAB score (standard profile) at each warm-up, and how long a new
     * key's model does not answer yet or reaches critical more often than later ({@link #artefactsUntil}). The rule
     * the defaults follow: the longer of the shortest warm-up within {@link #WARMUP_MARGIN} of the model's best NAB
     * score and the end of the artefacts rounded up to 50.
     */
    private static void warmups(StringBuilder md, NabReplay corpus, Run metrics, List<Run> pointwise,
            Preset preset) {
        md.append("\n**Warm-up** (NAB standard profile at each warm-up, the default in bold; *new-key artefacts ")
                .append("until*: the point up to which a new key's model does not answer yet (scores 0) or its scores ")
                .append("reach critical (≥ 0.9) more often than later, on ").append(ARTEFACT_KEYS)
                .append(" stationary keys of ").append(ARTEFACT_POINTS).append(" points: one Gaussian feature, and ")
                .append("three features in three Gaussian clusters. The rule: the longer of the shortest warm-up ")
                .append("within ").append(String.format(Locale.ROOT, "%.1f", WARMUP_MARGIN))
                .append(" of the best NAB score and the artefacts' end rounded up to 50)\n\n")
                .append("| configuration |");
        for (int w : WARMUPS) {
            md.append(' ').append(w).append(" |");
        }
        md.append(" new-key artefacts until | rule |\n|---|").append("---:|".repeat(WARMUPS.length + 2)).append('\n');
        List<Run> runs = new ArrayList<>();
        runs.add(metrics);
        runs.addAll(pointwise);
        for (Run r : runs) {
            int current = r == metrics ? preset.warmup() : r.scores().spec().modelType().warmup();
            double[] standard = new double[WARMUPS.length];
            for (int i = 0; i < WARMUPS.length; i++) {
                standard[i] = corpus.nab(corpus.grade(r.scores(), grader(WARMUPS[i], KeyGrading.Steps.ALL)),
                        ScoreField.LIKELIHOOD).get(0).normalised();
            }
            double best = Arrays.stream(standard).max().orElseThrow();
            int artefacts = artefactsUntil(r.seeded());
            int rule = -1;
            md.append("| ").append(r == metrics ? "the preset" : r.label()).append(" |");
            for (int i = 0; i < WARMUPS.length; i++) {
                if (rule < 0 && standard[i] >= best - WARMUP_MARGIN) {
                    rule = WARMUPS[i];
                }
                String b = WARMUPS[i] == current ? "**" : "";
                md.append(String.format(Locale.ROOT, " %s%.1f%s |", b, standard[i], b));
            }
            rule = Math.max(rule, (artefacts + 49) / 50 * 50);
            md.append(' ').append(artefacts).append(" | ").append(rule)
                    .append(rule == current ? "" : " (default " + current + ")").append(" |\n");
        }
    }

    private static final int ARTEFACT_KEYS = 100;
    private static final int ARTEFACT_POINTS = 2000;
    private static final int BLOCK = 25;

    /**
     * The end of the last block of {@value #BLOCK} points, among a new key's first 500, in which the pipeline does
     * not answer yet (more than half its scores exactly 0) or its scores reach critical (0.9, the default) more
     * often than chance allows at the rate of the keys' points 1,000 to 2,000 (more than that rate's count plus four
     * standard deviations of a Poisson count, plus 2): what a warm-up must cover so that a new key's results mean
     * what they say and page nobody for being new. 0 when no block does. Stationary keys, seeded: half one Gaussian
     * feature, half three features in three Gaussian clusters.
     */
    static int artefactsUntil(IntFunction<PipelineSpec> seeded) {
        int[] early = new int[500 / BLOCK];
        int[] zeros = new int[500 / BLOCK];
        long late = 0;
        for (int k = 0; k < ARTEFACT_KEYS; k++) {
            int dimensions = k % 2 == 0 ? 1 : 3;
            Pipeline pipeline = seeded.apply(k + 1).newPipeline(dimensions);
            GaussianStream stream = new GaussianStream(dimensions, dimensions == 1 ? 1 : 3, 1000 + k);
            for (int i = 0; i < ARTEFACT_POINTS; i++) {
                double score = pipeline.scoreLearn(stream.next());
                boolean critical = score >= Thresholds.DEFAULT.critical();
                if (i < 500) {
                    early[i / BLOCK] += critical ? 1 : 0;
                    zeros[i / BLOCK] += score == 0 ? 1 : 0;
                } else if (i >= 1000 && critical) {
                    late++;
                }
            }
        }
        double perBlock = (double) late * BLOCK / (ARTEFACT_POINTS - 1000);
        for (int b = early.length - 1; b >= 0; b--) {
            if (zeros[b] > ARTEFACT_KEYS * BLOCK / 2 || early[b] > perBlock + 4 * Math.sqrt(perBlock) + 2) {
                return (b + 1) * BLOCK;
            }
        }
        return 0;
    }

    /**
     * Choosing on half the series, checked on the other half: among the likelihood-graded configurations above,
     * the best on the odd-indexed files (in file order) scored on the even-indexed ones, and the other way round.
     */
    private static void halfSplit(StringBuilder md, NabReplay corpus, List<Run> candidates, Run metrics) {
        IntPredicate odd = k -> k % 2 == 1;
        IntPredicate even = k -> k % 2 == 0;
        md.append("\n**Half-split check** (standard profile): the configuration chosen on one half of the files, "
                + "scored on the other\n\n| chosen on | chosen | its score there | its score on the other half | "
                + "the preset there | the preset on the other half |\n|---|---|---:|---:|---:|---:|\n");
        for (IntPredicate[] halves : new IntPredicate[][] {{odd, even}, {even, odd}}) {
            Run chosen = null;
            double chosenScore = Double.NEGATIVE_INFINITY;
            for (Run r : candidates) {
                double s = standard(corpus, r, halves[0]);
                if (s > chosenScore) {
                    chosen = r;
                    chosenScore = s;
                }
            }
            md.append(String.format(Locale.ROOT, "| %s files | %s | %.1f | %.1f | %.1f | %.1f |%n",
                    halves[0] == odd ? "odd-indexed" : "even-indexed", chosen.label(), chosenScore,
                    standard(corpus, chosen, halves[1]), standard(corpus, metrics, halves[0]),
                    standard(corpus, metrics, halves[1])));
        }
    }

    private static double standard(NabReplay corpus, Run r, IntPredicate include) {
        return corpus.nab(r.graded(), ScoreField.LIKELIHOOD, include).get(0).normalised();
    }
}
