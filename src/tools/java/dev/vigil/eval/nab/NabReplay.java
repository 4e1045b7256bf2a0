package dev.vigil.eval.nab;

import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.KeyGrading;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.eval.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A corpus of time series with labelled windows, read once and replayed as the service runs keys, as often as
 * wanted: every series through a fresh pipeline (scored, then learned, point by point, one key per series), the
 * scores graded by each key's grading, the outputs scored by NAB's scorer. What {@code vigil-eval --windows} and the
 * benchmark's NAB section share.
 */
public final class NabReplay {
    private final List<TimeSeries> series;
    private final AnomalyWindows windows;
    private final long points;

    /**
     * How each key's scores are graded, as the service's {@code vigil.thresholds.*} (default thresholds),
     * {@code vigil.warmup.points} and {@code vigil.events.gap}; {@code steps} leaves steps of likelihood grading
     * out, to measure them.
     *
     * @param warmup the warm-up in points, or -1 for the model's own ({@link dev.vigil.detect.ModelProvider#warmup})
     */
    public record Grader(Grading grading, int warmup, int eventGap, int rarityWindow, KeyGrading.Steps steps) {

        /** Every step, with the service's default thresholds of {@code mode}. */
        public Grader(Grading.Mode mode, int warmup, int eventGap, int rarityWindow) {
            this(new Grading(mode, Thresholds.DEFAULT, Grading.DEFAULT_RARITIES), warmup, eventGap, rarityWindow,
                    KeyGrading.Steps.ALL);
        }

        int warmupFor(PipelineSpec spec) {
            return warmup >= 0 ? warmup : spec.modelType().warmup();
        }
    }

    /** Every series' scores from one model, and the time they took. */
    public record Scores(PipelineSpec spec, List<double[]> perSeries, double seconds) {
    }

    /** Every series' outputs under one grading, and the time the grading took. */
    public static final class Graded {
        final List<KeyReplay.PointScores> points;
        private final double seconds;

        Graded(List<KeyReplay.PointScores> points, double seconds) {
            this.points = points;
            this.seconds = seconds;
        }

        public double seconds() {
            return seconds;
        }
    }

    private NabReplay(List<TimeSeries> series, AnomalyWindows windows, long points) {
        this.series = series;
        this.windows = windows;
        this.points = points;
    }

    /**
     * Reads the series ({@code data}: a CSV file or a folder walked recursively; one key per file, or per value of
     * {@code keyColumn} when not null) and places them against their windows (NAB's {@code combined_windows.json}
     * format): a bad windows file or a series without windows fails here, before any model runs.
     */
    public static NabReplay read(Path data, Path windows, String timestampColumn, String keyColumn)
            throws IOException {
        AnomalyWindows w = AnomalyWindows.read(windows);
        List<TimeSeries> series = TimeSeriesCsv.read(data, timestampColumn, keyColumn);
        List<ScoredSeries> unscored = new ArrayList<>();
        for (TimeSeries s : series) {
            unscored.add(new ScoredSeries(s.name(), s.timestamps(), new double[s.rows()]));
        }
        return new NabReplay(series, w, NabCorpus.of(unscored, w).rows());
    }

    /** How many series, in the order they were read. */
    public int size() {
        return series.size();
    }

    /** Rows of every series. */
    public long points() {
        return points;
    }

    List<TimeSeries> series() {
        return series;
    }

    public Scores score(PipelineSpec spec) {
        long start = System.nanoTime();
        List<double[]> scores = new ArrayList<>();
        for (TimeSeries s : series) {
            scores.add(KeyReplay.score(s, spec));
        }
        return new Scores(spec, scores, (System.nanoTime() - start) / 1e9);
    }

    public Graded grade(Scores scores, Grader grader) {
        long start = System.nanoTime();
        int warmup = grader.warmupFor(scores.spec());
        List<KeyReplay.PointScores> points = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            points.add(KeyReplay.grade(series.get(k), scores.perSeries().get(k), grader, warmup));
        }
        return new Graded(points, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The normalised scores of published detectors in a file like NAB's {@code final_results.json} (the data
     * README's {@code results/dev_final_results.json}): by detector, the three profiles in {@link NabProfile#all()}
     * order, in file order.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, double[]> published(Path finalResults) throws IOException {
        Map<String, double[]> scores = new LinkedHashMap<>();
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(finalResults));
        for (Map.Entry<String, Object> e : json.entrySet()) {
            Map<String, Object> byProfile = (Map<String, Object>) e.getValue();
            scores.put(e.getKey(), NabProfile.all().stream()
                    .mapToDouble(p -> ((Number) byProfile.get(p.name())).doubleValue()).toArray());
        }
        return scores;
    }

    /** NAB's result in every profile ({@link NabProfile#all()} order) when it scores {@code field}. */
    public List<ProfileResult> nab(Graded graded, ScoreField field) {
        return nab(graded, field, k -> true);
    }

    /**
     * The same over the series whose index (in reading order) {@code include} accepts: thresholds optimised and
     * the score normalised over those alone.
     */
    public List<ProfileResult> nab(Graded graded, ScoreField field, IntPredicate include) {
        List<ScoredSeries> scored = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            if (include.test(k)) {
                TimeSeries s = series.get(k);
                scored.add(new ScoredSeries(s.name(), s.timestamps(), field.of(graded.points.get(k))));
            }
        }
        return NabScorer.scoreAll(NabCorpus.of(scored, windows));
    }
}
