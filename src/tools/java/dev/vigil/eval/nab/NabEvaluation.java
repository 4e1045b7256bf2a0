package dev.vigil.eval.nab;

import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.eval.io.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
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
     * @param rarityWindow    scores per generation of a key's rank histogram, as the service's setting
     */
    public record Options(Path data, Path windows, String timestampColumn, String keyColumn,
            List<ScoreField> scoreFields, Path scoresOut, int rarityWindow) {
        public Options {
            scoreFields = List.copyOf(scoreFields);
        }

        /**
         * The options from the command line's {@code --timestamp-column}, {@code --key-column},
         * {@code --score-field}, {@code --scores-out} and {@code --rarity-window}, by option name.
         *
         * @param models how many models will run: the scores file holds one model's points
         * @throws IllegalArgumentException naming the option at fault
         */
        public static Options parse(Path data, Path windows, Map<String, String> options, int models) {
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
            String scoresOut = options.get("--scores-out");
            return new Options(data, windows, options.getOrDefault("--timestamp-column", "timestamp"),
                    options.get("--key-column"), fields, scoresOut == null ? null : Path.of(scoresOut),
                    rarityWindow);
        }
    }

    private NabEvaluation() {
    }

    public static void run(Options options, List<PipelineSpec> specs, PrintStream out) throws IOException {
        AnomalyWindows windows = AnomalyWindows.read(options.windows());
        List<TimeSeries> series = TimeSeriesCsv.read(options.data(), options.timestampColumn(), options.keyColumn());
        // Placing the windows first fails on a bad windows file or a wrong name before any model runs.
        List<ScoredSeries> unscored = new ArrayList<>();
        long points = 0;
        for (TimeSeries s : series) {
            unscored.add(new ScoredSeries(s.name(), s.timestamps(), new double[s.rows()]));
            points += s.rows();
        }
        NabCorpus layout = NabCorpus.of(unscored, windows);
        for (PipelineSpec spec : specs) {
            long start = System.nanoTime();
            List<KeyReplay.PointScores> replays = new ArrayList<>();
            for (TimeSeries s : series) {
                replays.add(KeyReplay.run(s, spec, options.rarityWindow()));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (options.scoresOut() != null) {
                ScoresCsv.write(options.scoresOut(), series, replays);
            }
            for (ScoreField field : options.scoreFields()) {
                NabCorpus corpus = layout.rescored(replays.stream().map(field::of).toList());
                for (ProfileResult r : NabScorer.scoreAll(corpus)) {
                    out.println(json(spec.description(), field, r, points, seconds));
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
