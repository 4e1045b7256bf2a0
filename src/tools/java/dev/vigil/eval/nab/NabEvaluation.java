package dev.vigil.eval.nab;

import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.detect.pipeline.Preset;
import dev.vigil.eval.io.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code vigil-eval --windows}: streams time-ordered series through Vigil's pipelines as the service would (one key
 * per series, score then learn, rarity from the key's recent scores) and scores the result with NAB's scorer
 * against labelled windows. Prints one JSON line per model, score field and profile.
 */
public final class NabEvaluation {
    /** The service's default {@code vigil.thresholds.rarity.window}. */
    public static final int DEFAULT_RARITY_WINDOW = 20_000;

    /**
     * @param data            a CSV file or a folder of them (walked recursively)
     * @param windows         NAB's {@code combined_windows.json} format
     * @param timestampColumn the column holding the timestamps
     * @param keyColumn       the column holding the key, or null for one key per file
     * @param scoreFields     what NAB scores, each in turn
     * @param scoresOut       where to write every point's score and rarity, or null
     * @param grader          how each key's scores are graded, as the service's settings
     */
    public record Options(Path data, Path windows, String timestampColumn, String keyColumn,
            List<ScoreField> scoreFields, Path scoresOut, NabReplay.Grader grader) {
        public Options {
            scoreFields = List.copyOf(scoreFields);
            if (scoreFields.contains(ScoreField.LIKELIHOOD) && grader.grading().mode() != Grading.Mode.LIKELIHOOD) {
                throw new IllegalArgumentException("--score-field likelihood needs --severity-mode likelihood, was "
                        + grader.grading().mode().configName());
            }
        }

        /** The service's grading defaults with {@code rarityWindow}; likelihood mode if NAB scores likelihoods. */
        public Options(Path data, Path windows, String timestampColumn, String keyColumn,
                List<ScoreField> scoreFields, Path scoresOut, int rarityWindow) {
            this(data, windows, timestampColumn, keyColumn, scoreFields, scoresOut, new NabReplay.Grader(
                    scoreFields.contains(ScoreField.LIKELIHOOD) ? Grading.Mode.LIKELIHOOD : Grading.Mode.FIXED,
                    -1, 0, rarityWindow));
        }

        /**
         * The options from the command line's {@code --timestamp-column}, {@code --key-column},
         * {@code --score-field}, {@code --scores-out} and {@code --rarity-window}, by option name.
         *
         * @param models how many models will run: the scores file holds one model's points
         * @throws IllegalArgumentException naming the option at fault
         */
        public static Options parse(Path data, Path windows, Map<String, String> options, int models,
                Preset preset) {
            if (options.containsKey("--scores-out") && models > 1) {
                throw new IllegalArgumentException("--scores-out writes the points of one model, not of several");
            }
            List<ScoreField> fields = ScoreField.parseList(options.getOrDefault("--score-field", "rarity"));
            int rarityWindow = DEFAULT_RARITY_WINDOW;
            String window = options.get("--rarity-window");
            if (window != null) {
                try {
                    rarityWindow = Integer.parseInt(window.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--rarity-window must be an integer, was '" + window + "'");
                }
                if (rarityWindow < 1) {
                    throw new IllegalArgumentException("--rarity-window must be at least 1, was " + rarityWindow);
                }
            }
            Grading.Mode mode = preset != null ? preset.mode()
                    : fields.contains(ScoreField.LIKELIHOOD) ? Grading.Mode.LIKELIHOOD : Grading.Mode.FIXED;
            String modeName = options.get("--severity-mode");
            if (modeName != null) {
                mode = null;
                for (Grading.Mode m : Grading.Mode.values()) {
                    if (m.configName().equals(modeName.trim())) {
                        mode = m;
                    }
                }
                if (mode == null) {
                    throw new IllegalArgumentException("--severity-mode: unknown mode '" + modeName
                            + "'; allowed: fixed, quantile, likelihood");
                }
            }
            int warmup = intOption(options, "--warmup", preset == null ? -1 : preset.warmup(), 0);
            int eventGap = intOption(options, "--event-gap", preset == null ? 0 : preset.eventGap(), 0);
            String scoresOut = options.get("--scores-out");
            return new Options(data, windows, options.getOrDefault("--timestamp-column", "timestamp"),
                    options.get("--key-column"), fields, scoresOut == null ? null : Path.of(scoresOut),
                    new NabReplay.Grader(mode, warmup, eventGap, rarityWindow));
        }

        private static int intOption(Map<String, String> options, String name, int absent, int min) {
            String text = options.get(name);
            if (text == null) {
                return absent;
            }
            int value;
            try {
                value = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer, was '" + text + "'");
            }
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
            }
            return value;
        }
    }

    private NabEvaluation() {
    }

    public static void run(Options options, List<PipelineSpec> specs, PrintStream out) throws IOException {
        NabReplay corpus = NabReplay.read(options.data(), options.windows(), options.timestampColumn(),
                options.keyColumn());
        for (PipelineSpec spec : specs) {
            NabReplay.Scores scores = corpus.score(spec);
            NabReplay.Graded graded = corpus.grade(scores, options.grader());
            if (options.scoresOut() != null) {
                ScoresCsv.write(options.scoresOut(), corpus.series(), graded.points);
            }
            for (ScoreField field : options.scoreFields()) {
                for (ProfileResult r : corpus.nab(graded, field)) {
                    out.println(json(spec.description(), field, r, corpus.points(), scores.seconds()
                            + graded.seconds()));
                }
            }
        }
    }

    static String json(String model, ScoreField field, ProfileResult r, long points, double seconds) {
        return "{\"model\":" + Json.string(model) + ",\"profile\":" + Json.string(r.profile().name())
                + ",\"score_field\":" + Json.string(field.configName())
                // In full: the threshold is a score value, and rounding it would detect other points.
                + ",\"threshold\":" + r.threshold()
                + ",\"raw\":" + Json.number(r.raw(), 4) + ",\"normalised\":" + Json.number(r.normalised(), 3)
                + ",\"tp\":" + r.tp() + ",\"fp\":" + r.fp() + ",\"fn\":" + r.fn()
                + ",\"windows_detected\":" + r.windowsDetected() + ",\"windows\":" + r.windows()
                + ",\"points\":" + points + ",\"seconds\":" + Json.number(seconds, 3)
                + ",\"points_per_sec\":" + Math.round(points / Math.max(seconds, 1e-9)) + "}";
    }
}
