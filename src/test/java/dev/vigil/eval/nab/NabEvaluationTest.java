package dev.vigil.eval.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.testdata.SeasonalSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The time-ordered, labelled-windows mode of vigil-eval, on small seasonal series with injected spikes. */
class NabEvaluationTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2020, 3, 1, 0, 0);
    private static final int ROWS = 600;

    @TempDir
    static Path dir;
    static Path folder;
    static Path windows;

    /**
     * {@code cat/a.csv} and {@code cat/sub/b.csv}: a spike at row 400 in a window of rows 395-425; and
     * {@code quiet/c.csv} without an event or a window. Columns timestamp, value, and a text column.
     */
    @BeforeAll
    static void writeSeries() throws IOException {
        folder = dir.resolve("data");
        write(folder.resolve("cat/a.csv"), SeasonalSeries.generate(1, ROWS, SeasonalSeries.Event.SPIKE, 400));
        write(folder.resolve("cat/sub/b.csv"), SeasonalSeries.generate(2, ROWS, SeasonalSeries.Event.SPIKE, 400));
        write(folder.resolve("quiet/c.csv"), SeasonalSeries.generate(3, ROWS, null, 0));
        windows = dir.resolve("windows.json");
        String window = "[[\"" + stamp(395) + ".000000\", \"" + stamp(425) + ".000000\"]]";
        Files.writeString(windows, "{\"cat/a.csv\": " + window + ", \"cat/sub/b.csv\": " + window
                + ", \"quiet/c.csv\": [], \"elsewhere/d.csv\": []}");
    }

    private static void write(Path file, double[] values) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder csv = new StringBuilder("timestamp,value,site\n");
        for (int i = 0; i < values.length; i++) {
            csv.append(stamp(i)).append(',').append(values[i]).append(",north\n");
        }
        Files.writeString(file, csv);
    }

    private static String stamp(int row) {
        return T0.plusMinutes(5L * row).toString().replace('T', ' ') + ":00";
    }

    private static PipelineSpec spec(String model, Map<String, String> params) {
        return PipelineSpec.parse(new PipelineSpec.Keys("--model", "--param ", "--preprocessing", "--param "), model,
                params, List.of(), Map.of());
    }

    private static String run(NabEvaluation.Options options, PipelineSpec... specs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NabEvaluation.run(options, List.of(specs), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static NabEvaluation.Options options(Path data, List<ScoreField> fields, Path scoresOut) {
        return new NabEvaluation.Options(data, windows, "timestamp", null, fields, scoresOut,
                NabEvaluation.DEFAULT_RARITY_WINDOW);
    }

    @Test
    void folder_eachFileIsAKeyNamedByItsRelativePath_oneLinePerFieldAndProfile() throws IOException {
        String out = run(options(folder, List.of(ScoreField.SCORE, ScoreField.RARITY), null),
                spec("zscore", Map.of()));
        String[] lines = out.strip().split("\n");
        assertEquals(6, lines.length, out);
        assertTrue(lines[0].startsWith("{\"model\":\"zscore\",\"profile\":\"standard\",\"score_field\":\"score\","
                + "\"threshold\":"), lines[0]);
        assertTrue(lines[5].contains("\"profile\":\"reward_low_FN_rate\",\"score_field\":\"rarity\""), lines[5]);
        for (String line : lines) {
            for (String field : new String[] {"\"raw\":", "\"normalised\":", "\"tp\":", "\"fp\":", "\"fn\":",
                "\"windows_detected\":", "\"windows\":2,", "\"points\":1800,", "\"seconds\":", "\"points_per_sec\":"}) {
                assertTrue(line.contains(field), field + " missing in " + line);
            }
            // Spikes far above the cycle: both windows found, early, at a threshold that leaves few FPs.
            assertTrue(line.contains("\"windows_detected\":2,"), line);
            double normalised = Double.parseDouble(line.replaceAll(".*\"normalised\":([-0-9.]+).*", "$1"));
            assertTrue(normalised > 80, "normalised " + normalised + " in " + line);
        }
    }

    @Test
    void sameArguments_sameOutputAndScores() throws IOException {
        Path first = dir.resolve("first.csv");
        Path second = dir.resolve("second.csv");
        PipelineSpec forest = spec("isolation_forest", Map.of("seed", "5", "num_trees", "20"));
        String a = run(options(folder, List.of(ScoreField.RARITY), first), forest);
        String b = run(options(folder, List.of(ScoreField.RARITY), second), forest);
        String timing = "\"(seconds|points_per_sec)\":[0-9.]+";
        assertEquals(a.replaceAll(timing, ""), b.replaceAll(timing, ""));
        assertEquals(Files.readString(first), Files.readString(second));
    }

    @Test
    void scoresOut_holdsEveryPointsScoreAndRarityAsTheServiceComputesThem() throws IOException {
        Path scores = dir.resolve("scores.csv");
        run(options(folder, List.of(ScoreField.RARITY), scores), spec("zscore", Map.of()));
        List<String> lines = Files.readAllLines(scores);
        assertEquals(ScoresCsv.HEADER, lines.get(0));
        assertEquals(1 + 3 * ROWS, lines.size());
        assertTrue(lines.get(1).startsWith("cat/a.csv,0," + stamp(0) + ","), lines.get(1));
        assertTrue(lines.get(1 + ROWS).startsWith("cat/sub/b.csv,0,"), lines.get(1 + ROWS));
        assertTrue(lines.get(3 * ROWS).startsWith("quiet/c.csv," + (ROWS - 1) + ","), lines.get(3 * ROWS));
        // The rarity of row i is its rank among rows 0 .. i-1 of the same key: the spike (row 400) ranks top.
        String[] spike = lines.get(1 + 400).split(",");
        assertEquals(400.0 / 401, Double.parseDouble(spike[4]), 0.01, "rarity of the spike");
        String[] firstRow = lines.get(1).split(",");
        assertEquals(0.0, Double.parseDouble(firstRow[4]), 0, "nothing is rarer than nothing seen");
    }

    @Test
    void keyColumn_oneKeyPerValue_namedByIt() throws IOException {
        double[] a = SeasonalSeries.generate(1, ROWS, SeasonalSeries.Event.SPIKE, 400);
        double[] b = SeasonalSeries.generate(2, ROWS, SeasonalSeries.Event.SPIKE, 400);
        StringBuilder csv = new StringBuilder("key,timestamp,value\n");
        for (int i = 0; i < ROWS; i++) {
            // Interleaved as a stream of two keys would arrive.
            csv.append("cat/a.csv,").append(stamp(i)).append(',').append(a[i]).append('\n');
            csv.append("cat/sub/b.csv,").append(stamp(i)).append(',').append(b[i]).append('\n');
        }
        Path keyed = dir.resolve("keyed.csv");
        Files.writeString(keyed, csv);
        NabEvaluation.Options byKey = new NabEvaluation.Options(keyed, windows, "timestamp", "key",
                List.of(ScoreField.SCORE), null, NabEvaluation.DEFAULT_RARITY_WINDOW);
        String timing = "\"(seconds|points_per_sec)\":[0-9.]+";
        String keyedOut = run(byKey, spec("zscore", Map.of())).replaceAll(timing, "");
        // The same two series as the folder's files a and b: the same result.
        Path two = dir.resolve("two");
        Files.createDirectories(two.resolve("cat/sub"));
        Files.copy(folder.resolve("cat/a.csv"), two.resolve("cat/a.csv"));
        Files.copy(folder.resolve("cat/sub/b.csv"), two.resolve("cat/sub/b.csv"));
        String filesOut = run(options(two, List.of(ScoreField.SCORE), null), spec("zscore", Map.of()))
                .replaceAll(timing, "");
        assertEquals(filesOut, keyedOut);
    }

    @Test
    void singleFile_findsItsWindowsByFileName() throws IOException {
        String out = run(options(folder.resolve("cat/sub/b.csv"), List.of(ScoreField.SCORE), null),
                spec("zscore", Map.of()));
        assertTrue(out.contains("\"windows\":1,"), out);
        assertTrue(out.contains("\"points\":600,"), out);
    }

    @Test
    void seriesWithoutWindowsEntry_isRefusedBeforeAnyModelRuns() throws IOException {
        Path extra = dir.resolve("extra");
        write(extra.resolve("unknown.csv"), new double[10]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(options(extra, List.of(ScoreField.SCORE), null), spec("zscore", Map.of())));
        assertTrue(e.getMessage().contains("no entry for 'unknown.csv'"), e.getMessage());
    }

    @Test
    void options_parseFromTheCommandLine() {
        NabEvaluation.Options o = NabEvaluation.Options.parse(folder, windows,
                Map.of("--score-field", "score,rarity", "--rarity-window", "500", "--key-column", "k"), 1, null);
        assertEquals(List.of(ScoreField.SCORE, ScoreField.RARITY), o.scoreFields());
        assertEquals(500, o.grader().rarityWindow());
        assertEquals("timestamp", o.timestampColumn());
        assertEquals("k", o.keyColumn());
        NabEvaluation.Options defaults = NabEvaluation.Options.parse(folder, windows, Map.of(), 5, null);
        assertEquals(List.of(ScoreField.RARITY), defaults.scoreFields());
        assertEquals(NabEvaluation.DEFAULT_RARITY_WINDOW, defaults.grader().rarityWindow());
        assertThrows(IllegalArgumentException.class,
                () -> NabEvaluation.Options.parse(folder, windows, Map.of("--score-field", "rank"), 1, null));
        assertThrows(IllegalArgumentException.class,
                () -> NabEvaluation.Options.parse(folder, windows, Map.of("--rarity-window", "0"), 1, null));
        assertThrows(IllegalArgumentException.class,
                () -> NabEvaluation.Options.parse(folder, windows, Map.of("--scores-out", "x.csv"), 2, null));
    }

    /** The whole DEV split with the cheapest model: every file finds its windows, every row is streamed. */
    @Test
    void nabDev_everyFileFindsItsWindows() throws IOException {
        NabScorerTest.assumeNabDev();
        Path nab = NabScorerTest.NAB_DEV;
        String out = run(new NabEvaluation.Options(nab.resolve("data"), nab.resolve("labels/combined_windows.json"),
                "timestamp", null, List.of(ScoreField.RARITY), null, NabEvaluation.DEFAULT_RARITY_WINDOW),
                spec("zscore", Map.of()));
        String[] lines = out.strip().split("\n");
        assertEquals(3, lines.length, out);
        for (String line : lines) {
            assertTrue(line.contains("\"windows\":64,\"points\":137366,"), line);
        }
    }
}
