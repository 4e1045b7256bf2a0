package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testdata.GaussianStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCliTest {
    @TempDir
    static Path dir;
    static Path data;

    /** 2,000 Gaussian points, every 50th replaced by a far outlier labelled 1; gzip-compressed. */
    @BeforeAll
    static void writeData() throws IOException {
        data = dir.resolve("synthetic.csv.gz");
        GaussianStream stream = new GaussianStream(3, 2, 1);
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(data)),
                StandardCharsets.UTF_8)) {
            w.write("a,b,c,label\n");
            for (int i = 0; i < 2000; i++) {
                boolean anomaly = i % 50 == 49;
                double[] x = anomaly ? stream.outlier(10) : stream.next();
                w.write(x[0] + "," + x[1] + "," + x[2] + "," + (anomaly ? 1 : 0) + "\n");
            }
        }
    }

    private static String run(String... args) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, EvalCli.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void run_oneModel_printsOneJsonLineWithEveryField() throws IOException {
        String out = run("--data", data.toString(), "--model", "isolation_forest", "--shuffle-seed", "1");
        String[] lines = out.strip().split("\n");
        assertEquals(1, lines.length);
        for (String field : new String[] {"\"dataset\":\"synthetic\"", "\"model\":\"isolation_forest\"",
                "\"rows\":2000", "\"dims\":3", "\"roc_auc\":", "\"pr_auc\":", "\"seconds\":", "\"points_per_sec\":",
                "\"memory_bytes\":", "\"flagged\":{\"fixed\":{\"medium\":", "\"quantile\":{\"medium\":"}) {
            assertTrue(lines[0].contains(field), field + " missing in " + lines[0]);
        }
        double auc = Double.parseDouble(lines[0].replaceAll(".*\"roc_auc\":([0-9.]+).*", "$1"));
        assertTrue(auc > 0.95, "far outliers must rank first, roc_auc " + auc);
        // 2,000 points: in quantile mode a medium is rarer than 1 in 100 of the points before it.
        double medium = Double.parseDouble(lines[0].replaceAll(".*\"quantile\":\\{\"medium\":([0-9.]+).*", "$1"));
        assertTrue(medium > 0.002 && medium < 0.03, "quantile medium share " + medium);
    }

    @Test
    void run_allModels_printsOneLinePerModelOnTheSameStream() throws IOException {
        String out = run("--data", data.toString(), "--model", "all", "--param", "seed=3",
                "--preprocessing", "scaler");
        String[] lines = out.strip().split("\n");
        assertEquals(5, lines.length);
        assertTrue(lines[0].contains("\"model\":\"scaler | isolation_forest\""), lines[0]);
        assertTrue(lines[4].contains("\"model\":\"scaler | random_cut_forest\""), lines[4]);
    }

    @Test
    void run_sameArguments_sameScores() throws IOException {
        String[] args = {"--data", data.toString(), "--model", "adaptive_svm", "--shuffle-seed", "4"};
        String first = run(args).replaceAll("\"(seconds|points_per_sec)\":[0-9.]+", "");
        String second = run(args).replaceAll("\"(seconds|points_per_sec)\":[0-9.]+", "");
        assertEquals(first, second);
    }

    @Test
    void run_transformParameter_reachesTheTransform() throws IOException {
        String out = run("--data", data.toString(), "--model", "knn", "--preprocessing", "scaler,pca",
                "--param", "pca.n_components=2", "--param", "k=5");
        assertTrue(out.contains("\"model\":\"scaler | pca | knn\""), out);
        String shingled = run("--data", data.toString(), "--model", "zscore", "--preprocessing", "delta,shingle,scaler",
                "--param", "shingle.size=4");
        assertTrue(shingled.contains("\"model\":\"delta | shingle | scaler | zscore\""), shingled);
        assertTrue(shingled.contains("\"dims\":"), shingled);
    }

    @Test
    void run_badArguments_areRefusedWithTheReason() {
        assertThrows(EvalCli.UsageException.class, () -> run("--model", "knn"));
        assertThrows(EvalCli.UsageException.class, () -> run("--data", data.toString(), "--model", "all",
                "--param", "colour=red"));
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class,
                () -> run("--data", data.toString(), "--model", "forest"));
        assertTrue(model.getMessage().contains("--model: unknown model 'forest'"), model.getMessage());
        IllegalArgumentException param = assertThrows(IllegalArgumentException.class,
                () -> run("--data", data.toString(), "--model", "knn", "--param", "k=0"));
        assertTrue(param.getMessage().startsWith("--param k: must be in [1, 10000]"), param.getMessage());
        assertThrows(IOException.class, () -> run("--data", dir.resolve("missing.csv").toString(), "--model", "knn"));
    }

    /** A 300-row series stamped every 5 minutes, rows 200-202 far above the rest, in a window of rows 195-215. */
    private static Path[] windowedSeries() throws IOException {
        Path series = dir.resolve("series.csv");
        Path windows = dir.resolve("windows.json");
        LocalDateTime t0 = LocalDateTime.of(2021, 6, 1, 0, 0);
        GaussianStream stream = new GaussianStream(1, 1, 1);
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 300; i++) {
            double v = i >= 200 && i < 203 ? stream.outlier(10)[0] : stream.next()[0];
            csv.append(t0.plusMinutes(5L * i).toString().replace('T', ' ')).append(":00,").append(v).append('\n');
        }
        Files.writeString(series, csv);
        Files.writeString(windows, "{\"series.csv\": [[\"" + t0.plusMinutes(5 * 195).toString().replace('T', ' ')
                + ":00.000000\", \"" + t0.plusMinutes(5 * 215).toString().replace('T', ' ') + ":00.000000\"]]}");
        return new Path[] {series, windows};
    }

    @Test
    void run_windows_scoresTheSeriesInTimeOrderWithNab() throws IOException {
        Path[] files = windowedSeries();
        String out = run("--windows", files[1].toString(), "--data", files[0].toString(), "--model", "zscore",
                "--score-field", "score");
        String[] lines = out.strip().split("\n");
        assertEquals(3, lines.length, out);
        assertTrue(lines[0].startsWith("{\"model\":\"zscore\",\"profile\":\"standard\",\"score_field\":\"score\""),
                lines[0]);
        assertTrue(lines[0].contains("\"windows_detected\":1,\"windows\":1,\"points\":300,"), lines[0]);
        assertTrue(run("--help").contains("--windows"));
    }

    @Test
    void run_windowsOptions_areRefusedOutsideTheirMode() throws IOException {
        Path[] files = windowedSeries();
        String series = files[0].toString();
        String windows = files[1].toString();
        assertThrows(EvalCli.UsageException.class, () -> run("--data", data.toString(), "--model", "knn",
                "--score-field", "score"));
        assertThrows(EvalCli.UsageException.class, () -> run("--windows", windows, "--data", series, "--model", "knn",
                "--shuffle-seed", "1"));
        assertThrows(EvalCli.UsageException.class, () -> run("--windows", windows, "--data", series, "--model", "all",
                "--scores-out", dir.resolve("s.csv").toString()));
        assertThrows(EvalCli.UsageException.class, () -> run("--windows", windows, "--data", series, "--model", "knn",
                "--score-field", "rank"));
    }

    @Test
    void read_fileWithoutLabelColumn_isRefused() throws IOException {
        Path bad = dir.resolve("nolabel.csv");
        Files.writeString(bad, "a,b\n1,2\n");
        IOException e = assertThrows(IOException.class, () -> LabelledData.read(bad));
        assertTrue(e.getMessage().contains("last header column must be 'label'"), e.getMessage());
    }
}
