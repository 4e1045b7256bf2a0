package dev.vigil.eval.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.eval.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The NAB scorer against NAB's own figures on the DEV split (the published outputs of two detectors and the null
 * detector, scored by NAB's code; see the data's README), and on tiny hand-made series whose scores can be worked
 * out by hand.
 */
class NabScorerTest {
    /** The DEV copy of NAB, beside the project; never copied into the repository. */
    static final Path NAB_DEV = Path.of("..", "shared", "data", "timeseries", "nab-dev");
    private static final double A_FP = NabProfile.STANDARD.fpWeight();

    private static final Map<String, NabCorpus> CORPORA = new HashMap<>();

    static void assumeNabDev() {
        Assumptions.assumeTrue(Files.isRegularFile(NAB_DEV.resolve("labels/combined_windows.json")),
                "NAB DEV data not found at " + NAB_DEV.toAbsolutePath().normalize());
    }

    /** {@code null}, or a detector of {@code results/}: its {@code anomaly_score} column, every DEV file. */
    static synchronized NabCorpus corpus(String detector) {
        return CORPORA.computeIfAbsent(detector, d -> {
            try {
                AnomalyWindows windows = AnomalyWindows.read(NAB_DEV.resolve("labels/combined_windows.json"));
                List<ScoredSeries> series = new ArrayList<>();
                for (String name : windows.files()) {
                    series.add(d.equals("null") ? nullSeries(name) : published(d, name));
                }
                return NabCorpus.of(series, windows);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static ScoredSeries nullSeries(String name) throws IOException {
        List<String[]> rows = csv(NAB_DEV.resolve("data").resolve(name));
        double[] scores = new double[rows.size() - 1];
        Arrays.fill(scores, 0.5);
        return new ScoredSeries(name, timestamps(rows), scores);
    }

    private static ScoredSeries published(String detector, String name) throws IOException {
        int slash = name.indexOf('/');
        Path file = NAB_DEV.resolve("results").resolve(detector).resolve(name.substring(0, slash))
                .resolve(detector + "_" + name.substring(slash + 1));
        List<String[]> rows = csv(file);
        int column = Arrays.asList(rows.get(0)).indexOf("anomaly_score");
        double[] scores = new double[rows.size() - 1];
        for (int i = 1; i < rows.size(); i++) {
            scores[i - 1] = Double.parseDouble(rows.get(i)[column]);
        }
        return new ScoredSeries(name, timestamps(rows), scores);
    }

    private static LocalDateTime[] timestamps(List<String[]> rows) {
        int column = Arrays.asList(rows.get(0)).indexOf("timestamp");
        return rows.stream().skip(1).map(r -> NabTimestamps.parse(r[column])).toArray(LocalDateTime[]::new);
    }

    private static List<String[]> csv(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
        }
    }

    private static NabProfile profile(String name) {
        return NabProfile.all().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** The README's table "Files for checking a scorer". */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "null,            standard,           1.1,            -64.0000,  0,   0,   0.00",
        "null,            reward_low_FP_rate, 1.1,            -64.0000,  0,   0,   0.00",
        "null,            reward_low_FN_rate, 1.1,            -128.0000, 0,   0,   0.00",
        "numenta,         standard,           0.543099145074, 32.6640,   119, 59,  75.52",
        "numenta,         reward_low_FP_rate, 0.543099145074, 26.4729,   119, 59,  70.68",
        "numenta,         reward_low_FN_rate, 0.543099145074, 23.6640,   119, 59,  78.99",
        "randomCutForest, standard,           0.392655382911, 12.0277,   302, 154, 59.40",
        "randomCutForest, reward_low_FP_rate, 0.480669594459, -1.1518,   182, 74,  49.10",
        "randomCutForest, reward_low_FN_rate, 0.357027532744, -1.5566,   370, 210, 65.86"})
    void publishedDetectors_scoreAsNabScoresThem(String detector, String profileName, double threshold, double raw,
            int tp, int fp, double normalised) {
        assumeNabDev();
        ProfileResult r = NabScorer.score(corpus(detector), profile(profileName));
        assertEquals(threshold, r.threshold(), 1e-12, "t*");
        assertEquals(raw, r.raw(), 5e-5, "raw S(t*)");
        assertEquals(tp, r.tp(), "TP rows");
        assertEquals(fp, r.fp(), "FP rows");
        assertEquals(normalised, r.normalised(), 0.005, "normalised");
        assertEquals(64, r.windows());
        assertEquals(116_786, r.tp() + r.fp() + r.fn() + r.tn(), "scored rows");
        assertEquals(11_250, r.tp() + r.fn(), "rows inside windows");
    }

    /** Every per-file row of NAB's {@code <detector>_<profile>_scores.csv}, scored at NAB's threshold. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"null, standard", "null, reward_low_FN_rate", "numenta, standard", "numenta, reward_low_FP_rate",
        "randomCutForest, standard", "randomCutForest, reward_low_FP_rate", "randomCutForest, reward_low_FN_rate"})
    void publishedDetectors_everyFileScoresAsInNabsScoresFile(String detector, String profileName)
            throws IOException {
        assumeNabDev();
        List<String[]> expected = csv(NAB_DEV.resolve("results").resolve(detector)
                .resolve(detector + "_" + profileName + "_scores.csv"));
        List<String> header = Arrays.asList(expected.get(0));
        ProfileResult r = NabScorer.score(corpus(detector), profile(profileName));
        Map<String, FileScore> byName = new HashMap<>();
        r.files().forEach(f -> byName.put(f.name(), f));
        int checked = 0;
        for (String[] row : expected.subList(1, expected.size())) {
            String file = row[header.indexOf("File")];
            if (file.isEmpty()) {
                assertEquals("Totals", row[0]);
                assertEquals(Double.parseDouble(row[header.indexOf("Score")]), r.raw(), 1e-9, "total");
                continue;
            }
            FileScore f = byName.get(file);
            assertEquals(Double.parseDouble(row[header.indexOf("Threshold")]), f.threshold(), 1e-12, file);
            assertEquals(Double.parseDouble(row[header.indexOf("Score")]), f.score(), 1e-9, file);
            assertEquals(Integer.parseInt(row[header.indexOf("TP")]), f.tp(), file + " TP");
            assertEquals(Integer.parseInt(row[header.indexOf("TN")]), f.tn(), file + " TN");
            assertEquals(Integer.parseInt(row[header.indexOf("FP")]), f.fp(), file + " FP");
            assertEquals(Integer.parseInt(row[header.indexOf("FN")]), f.fn(), file + " FN");
            checked++;
        }
        assertEquals(41, checked);
    }

    /** NAB's normalised scores in full precision ({@code results/dev_final_results.json}). */
    @ParameterizedTest
    @CsvSource({"null", "numenta", "randomCutForest"})
    void publishedDetectors_normalisedAsInNabsFinalResults(String detector) throws IOException {
        assumeNabDev();
        Map<?, ?> finalResults = (Map<?, ?>) ((Map<?, ?>) Json.parse(
                Files.readString(NAB_DEV.resolve("results/dev_final_results.json")))).get(detector);
        for (ProfileResult r : NabScorer.scoreAll(corpus(detector))) {
            assertEquals((Double) finalResults.get(r.profile().name()), r.normalised(), 1e-9, r.profile().name());
        }
    }

    // ---- tiny hand-made series -------------------------------------------------------------------------------

    private static final LocalDateTime T0 = LocalDateTime.of(2020, 1, 1, 0, 0);

    /** {@code n} rows five minutes apart. */
    private static LocalDateTime[] clock(int n) {
        LocalDateTime[] t = new LocalDateTime[n];
        for (int i = 0; i < n; i++) {
            t[i] = T0.plusMinutes(5L * i);
        }
        return t;
    }

    /** A windows file giving {@code name} the windows of rows {@code [a, b]} (pairs), 5-minute rows from T0. */
    private static AnomalyWindows windows(String name, int... rowPairs) {
        StringBuilder json = new StringBuilder("{\"" + name + "\": [");
        for (int k = 0; k < rowPairs.length; k += 2) {
            json.append(k == 0 ? "" : ",").append("[\"").append(stamp(rowPairs[k])).append(".000000\", \"")
                    .append(stamp(rowPairs[k + 1])).append(".000000\"]");
        }
        return AnomalyWindows.parse(json.append("]}").toString());
    }

    private static String stamp(int row) {
        return T0.plusMinutes(5L * row).toString().replace('T', ' ') + ":00";
    }

    /** 40 rows (probation: 6), one window at rows 20-29 (W = 10), scores 0 except {@code detections}. */
    private static NabCorpus oneWindow(int... detections) {
        double[] scores = new double[40];
        for (int d : detections) {
            scores[d] = 1.0;
        }
        return NabCorpus.of(List.of(new ScoredSeries("x/a.csv", clock(40), scores)), windows("x/a.csv", 20, 29));
    }

    private static FileScore scoreAtOne(NabCorpus corpus) {
        return NabScorer.scoreAt(corpus, 1.0, NabProfile.STANDARD).get(0);
    }

    @Test
    void scaledSigmoid_hasNabsValues() {
        assertEquals(0.986614, ScaledSigmoid.of(-1), 1e-6);
        assertEquals(0.0, ScaledSigmoid.of(0), 0);
        assertEquals(-0.986614, ScaledSigmoid.of(1), 1e-6);
        assertEquals(0.848284, ScaledSigmoid.of(-0.5), 1e-6);
        // The cut-off is strict: at 3 the formula still holds, just past it the value is exactly -1.
        assertEquals(-0.99999939, ScaledSigmoid.of(3), 1e-8);
        assertEquals(-1.0, ScaledSigmoid.of(3.0000001), 0);
    }

    @Test
    void probationaryLength_isFifteenPercentCappedAt750() {
        assertEquals(604, WindowedRows.probationaryLength(4032));
        assertEquals(750, WindowedRows.probationaryLength(10_000));
        assertEquals(6, WindowedRows.probationaryLength(40));
    }

    @Test
    void detectionOnAWindowsFirstRow_earnsATp() {
        FileScore f = scoreAtOne(oneWindow(20));
        assertEquals(1.0, f.score(), 1e-12);
        assertEquals(1, f.tp());
        assertEquals(9, f.fn());
        assertEquals(1, f.windowsDetected());
    }

    @Test
    void detectionsLaterInTheWindow_earnLessAndAddNothingToAnEarlierOne() {
        double last = scoreAtOne(oneWindow(29)).score();
        // The last row of a window of 10: x = -1/10.
        assertEquals(ScaledSigmoid.of(-0.1) / ScaledSigmoid.of(-1), last, 1e-12);
        assertTrue(last > 0 && last < 0.3, "late detection " + last);
        FileScore both = scoreAtOne(oneWindow(20, 25, 29));
        assertEquals(1.0, both.score(), 1e-12);
        assertEquals(3, both.tp());
    }

    @Test
    void detectionBeforeTheFirstWindow_costsAFp() {
        FileScore f = scoreAtOne(oneWindow(10));
        assertEquals(-A_FP - 1.0, f.score(), 1e-12, "an FP, and the window missed");
        assertEquals(1, f.fp());
        assertEquals(0, f.windowsDetected());
    }

    @Test
    void detectionAfterAWindow_costsMoreTheFurtherAway() {
        // Row 29 ends the window; W - 1 = 9 rows on, x = 1; from x > 3 (row 57 would be) the full A_FP.
        assertEquals(-1.0 + A_FP * ScaledSigmoid.of(1.0 / 9), scoreAtOne(oneWindow(30)).score(), 1e-12);
        assertEquals(-1.0 + A_FP * ScaledSigmoid.of(1.0), scoreAtOne(oneWindow(38)).score(), 1e-12);
        assertTrue(scoreAtOne(oneWindow(30)).score() > scoreAtOne(oneWindow(38)).score());
    }

    @Test
    void detectionInTheProbation_countsForNothing() {
        FileScore f = scoreAtOne(oneWindow(5, 20));
        assertEquals(1.0, f.score(), 1e-12);
        assertEquals(0, f.fp());
        assertEquals(34, f.tp() + f.fp() + f.fn() + f.tn(), "40 rows less 6 probationary");
    }

    @Test
    void fileWithoutWindows_onlyCostsFalsePositives() {
        double[] scores = new double[40];
        scores[10] = 1;
        scores[30] = 1;
        scores[3] = 1;
        NabCorpus corpus = NabCorpus.of(List.of(new ScoredSeries("x/quiet.csv", clock(40), scores)),
                AnomalyWindows.parse("{\"x/quiet.csv\": []}"));
        FileScore f = scoreAtOne(corpus);
        assertEquals(-2 * A_FP, f.score(), 1e-12);
        assertEquals(2, f.fp());
        assertEquals(0, f.fn());
        assertEquals(0, f.windows());
        ProfileResult r = NabScorer.score(corpus, NabProfile.STANDARD);
        assertEquals(ThresholdSweep.NOTHING_DETECTED, r.threshold(), 0, "detecting nothing costs nothing");
        assertEquals(0.0, r.raw(), 0);
    }

    @Test
    void tiedCorpusScores_pickTheHighestThreshold() {
        // Row 20 (first of the window) at 0.9 gives S = 1; row 25 at 0.8 and row 27 at 0.7 are later in the same
        // window: S stays 1 at 0.8 and 0.7. Row 35 at 0.6 is an FP.
        double[] scores = new double[40];
        scores[20] = 0.9;
        scores[25] = 0.8;
        scores[27] = 0.7;
        scores[35] = 0.6;
        NabCorpus corpus = NabCorpus.of(List.of(new ScoredSeries("x/a.csv", clock(40), scores)),
                windows("x/a.csv", 20, 29));
        ProfileResult r = NabScorer.score(corpus, NabProfile.STANDARD);
        assertEquals(0.9, r.threshold(), 0);
        assertEquals(1.0, r.raw(), 1e-12);
        assertEquals(1, r.tp());
        assertEquals(100 * (1 + 1) / 2.0, r.normalised(), 1e-9, "(S - S_null) / (perfect - S_null), S_null = -1");
    }

    @Test
    void repeatedTimestamp_windowStartsAtItsFirstRow() {
        LocalDateTime[] t = clock(40);
        t[21] = t[20];
        double[] scores = new double[40];
        scores[20] = 1;
        NabCorpus corpus = NabCorpus.of(List.of(new ScoredSeries("x/a.csv", t, scores)), windows("x/a.csv", 20, 29));
        assertEquals(1.0, scoreAtOne(corpus).score(), 1e-12);
    }

    @Test
    void windowTimestampNotInTheSeries_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NabCorpus.of(List.of(new ScoredSeries("x/a.csv", clock(10), new double[10])),
                        windows("x/a.csv", 20, 29)));
        assertTrue(e.getMessage().contains("no row is stamped"), e.getMessage());
    }

    /** The single-pass sweep agrees with scoring every candidate threshold separately. */
    @Test
    void sweep_matchesScoringEveryCandidateThreshold() {
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            List<ScoredSeries> series = new ArrayList<>();
            StringBuilder json = new StringBuilder("{");
            for (int s = 0; s < 3; s++) {
                int n = 60 + random.nextInt(60);
                double[] scores = new double[n];
                for (int i = 0; i < n; i++) {
                    // Few distinct values, so ties between rows are common.
                    scores[i] = random.nextInt(12) / 11.0;
                }
                String name = "x/s" + s + ".csv";
                series.add(new ScoredSeries(name, clock(n), scores));
                int a = 20 + random.nextInt(10);
                int b = a + 3 + random.nextInt(10);
                json.append(s == 0 ? "" : ",").append('"').append(name).append("\": ")
                        .append(s == 2 ? "[]" : "[[\"" + stamp(a) + "\", \"" + stamp(b) + "\"]]");
            }
            NabCorpus corpus = NabCorpus.of(series, AnomalyWindows.parse(json.append('}').toString()));
            for (NabProfile profile : NabProfile.all()) {
                double bestThreshold = ThresholdSweep.NOTHING_DETECTED;
                double best = total(NabScorer.scoreAt(corpus, bestThreshold, profile));
                for (int v = 11; v >= 0; v--) {
                    double total = total(NabScorer.scoreAt(corpus, v / 11.0, profile));
                    if (total > best + 1e-12) {
                        best = total;
                        bestThreshold = v / 11.0;
                    }
                }
                ThresholdSweep.Optimum optimum = ThresholdSweep.optimise(corpus, profile);
                assertEquals(best, optimum.score(), 1e-9, "trial " + trial + " " + profile.name());
                assertEquals(bestThreshold, optimum.threshold(), 0, "trial " + trial + " " + profile.name());
            }
        }
    }

    private static double total(List<FileScore> files) {
        return files.stream().mapToDouble(FileScore::score).sum();
    }
}
