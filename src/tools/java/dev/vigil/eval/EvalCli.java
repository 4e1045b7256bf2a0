package dev.vigil.eval;

import dev.vigil.detect.ModelProvider;
import dev.vigil.detect.Precision;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.Models;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.detect.pipeline.Preset;
import dev.vigil.eval.nab.NabEvaluation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/vigil-eval}: streams a labelled CSV through one model, or all of them, and prints one JSON line
 * per model; with {@code --windows}, scores time-ordered series against NAB's labelled windows instead
 * ({@link NabEvaluation}). See {@link #USAGE}.
 */
public final class EvalCli {
    static final String USAGE = """
            usage: vigil-eval --data FILE.csv[.gz] --model NAME|all [--param key=value ...]
                              [--preprocessing scaler,pca] [--precision float32|float64] [--shuffle-seed N]

              --data           labelled CSV: header, numeric feature columns, last column 'label' (1 = anomaly)
              --model          %s, or all (every model on the same stream)
              --param          a model parameter (num_trees=50), or a transform's (pca.n_components=4,
                               shingle.size=8);
                               with --model all a model parameter goes to the models that have it
              --preprocessing  transforms in front of the model, in order: scaler, pca, shingle, delta
                               (e.g. delta,shingle,scaler)
              --precision      how windows keep points (vigil.memory.precision); default float32
              --shuffle-seed   shuffle the rows with Collections.shuffle(rows, new Random(N)) first;
                               without it the file order is kept
            Prints one JSON line per model: dataset, model, rows, dims, roc_auc, pr_auc, seconds,
            points_per_sec, memory_bytes.

            usage: vigil-eval --windows WINDOWS.json --data FILE.csv|FOLDER --model NAME|all [--param ...]
                              [--preprocessing ...] [--precision ...] [--timestamp-column NAME]
                              [--key-column NAME] [--score-field score|rarity|score,rarity]
                              [--scores-out FILE.csv] [--rarity-window N] [--preset metrics]
                              [--severity-mode fixed|quantile|likelihood] [--warmup N] [--event-gap N]

              --windows        labelled anomaly windows in NAB's combined_windows.json format; the series are
                               scored with NAB's scorer (threshold optimised over all series, three profiles)
              --data           a CSV file, or a folder walked for *.csv; a file's path relative to the folder
                               is its NAB name (realTraffic/speed_6005.csv). Rows in file order, never shuffled;
                               every numeric column but the timestamp, the key and 'label' is a feature
              --timestamp-column  the timestamp column (YYYY-MM-DD HH:MM:SS); default timestamp
              --key-column     one key per value of this column (its value is the NAB name);
                               default one key per file
              --score-field    what NAB scores: each point's model score, its rarity among the key's
                               recent scores or its likelihood, as the service computes them (warm-up
                               points count as 0); default rarity, likelihood with --preset metrics
              --scores-out     write key,row,timestamp,score,rarity,likelihood,severity,warmup,event of
                               every point (one model only)
              --rarity-window  scores per generation of each key's rank histogram; default %d, the
                               service's vigil.thresholds.rarity.window
              --preset         the service's vigil.preset: its model, transforms and grading, each of which
                               --model, --preprocessing, --param and the options below override
              --severity-mode  vigil.thresholds.mode (default thresholds); default fixed, likelihood when
                               NAB scores the likelihood
              --warmup         vigil.warmup.points; default the model's own
              --event-gap      vigil.events.gap; default 0
            Each key gets its own pipeline, scored then taught point by point as the service does. Prints one
            JSON line per model, score field and profile: model, profile, score_field, threshold, raw,
            normalised, tp, fp, fn, windows_detected, windows, points, seconds, points_per_sec.
            """.formatted(Models.allowedNames(), NabEvaluation.DEFAULT_RARITY_WINDOW);

    private static final PipelineSpec.Keys OPTIONS = new PipelineSpec.Keys("--model", "--param ", "--preprocessing",
            "--param ");

    private EvalCli() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args, System.out));
        } catch (UsageException e) {
            System.err.println("vigil-eval: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("vigil-eval: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The command line without exiting: its exit code, the results on {@code out}. */
    public static int run(String[] args, PrintStream out) throws IOException {
        Path data = null;
        String model = null;
        Long shuffleSeed = null;
        Precision precision = Precision.DEFAULT;
        List<String> preprocessing = List.of();
        Map<String, String> modelParams = new LinkedHashMap<>();
        Map<String, Map<String, String>> transformParams = new LinkedHashMap<>();
        Path windows = null;
        Map<String, String> windowsOptions = new LinkedHashMap<>();
        Preset preset = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.print(USAGE);
                return 0;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
                case "--data" -> data = Path.of(value);
                case "--windows" -> windows = Path.of(value);
                case "--timestamp-column", "--key-column", "--score-field", "--scores-out", "--rarity-window",
                        "--severity-mode", "--warmup", "--event-gap" -> windowsOptions.put(arg, value);
                case "--preset" -> preset = Preset.byName("--preset", value);
                case "--model" -> model = value;
                case "--shuffle-seed" -> shuffleSeed = parseSeed(value);
                case "--precision" -> precision = Precision.byName("--precision", value);
                case "--preprocessing" -> preprocessing = Arrays.stream(value.split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList();
                case "--param" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("--param takes key=value, was '" + value + "'");
                    }
                    String key = value.substring(0, eq);
                    String v = value.substring(eq + 1);
                    int dot = key.indexOf('.');
                    if (dot > 0) {
                        transformParams.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>())
                                .put(key.substring(dot + 1), v);
                    } else {
                        modelParams.put(key, v);
                    }
                }
                default -> throw new UsageException("unknown option " + arg);
            }
        }
        if (preset != null) {
            if (windows == null) {
                throw new UsageException("--preset needs --windows");
            }
            model = model == null ? preset.model() : model;
            preprocessing = preprocessing.isEmpty() ? preset.preprocessing() : preprocessing;
            for (var e : preset.transformParams().entrySet()) {
                Map<String, String> given = transformParams.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>());
                e.getValue().forEach(given::putIfAbsent);
            }
            windowsOptions.putIfAbsent("--score-field", "likelihood");
        }
        if (data == null || model == null) {
            throw new UsageException("--data and --model are required");
        }
        if (windows == null && !windowsOptions.isEmpty()) {
            throw new UsageException(windowsOptions.keySet().iterator().next() + " needs --windows");
        }
        if (windows != null && shuffleSeed != null) {
            throw new UsageException("--shuffle-seed does not go with --windows: series are scored in time order");
        }
        if (windows == null && !Files.isRegularFile(data)) {
            throw new IOException("no such file: " + data);
        }
        List<PipelineSpec> specs = new ArrayList<>();
        for (ModelProvider type : model.equals("all") ? List.<ModelProvider>of(ModelType.values())
                : List.of(Models.byName("--model", model))) {
            Map<String, String> params = new LinkedHashMap<>(modelParams);
            if (model.equals("all")) {
                params.keySet().retainAll(((ModelType) type).parameterNames());
            }
            specs.add(PipelineSpec.parse(OPTIONS, type.configName(), params, preprocessing, transformParams,
                    precision));
        }
        if (model.equals("all")) {
            for (String name : modelParams.keySet()) {
                if (Arrays.stream(ModelType.values()).noneMatch(t -> t.parameterNames().contains(name))) {
                    throw new UsageException("no model has a parameter '" + name + "'");
                }
            }
        }
        if (windows != null) {
            NabEvaluation.run(nabOptions(data, windows, windowsOptions, specs.size(), preset), specs, out);
            return 0;
        }
        LabelledData rows = LabelledData.read(data);
        if (shuffleSeed != null) {
            rows = rows.shuffled(shuffleSeed);
        }
        for (PipelineSpec spec : specs) {
            out.println(Evaluation.run(rows, spec).toJson());
        }
        return 0;
    }

    /** The options of the windows mode; a bad value is a usage error, as in the tabular mode. */
    private static NabEvaluation.Options nabOptions(Path data, Path windows, Map<String, String> options,
            int models, Preset preset) {
        try {
            return NabEvaluation.Options.parse(data, windows, options, models, preset);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static long parseSeed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--shuffle-seed must be an integer, was '" + value + "'");
        }
    }

    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }
}
