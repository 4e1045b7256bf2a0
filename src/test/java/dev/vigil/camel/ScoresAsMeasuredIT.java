package dev.vigil.camel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.eval.EvalCli;
import dev.vigil.testdata.SeasonalSeries;
import dev.vigil.testing.JsonLines;
import dev.vigil.testing.ParallelSafe;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.VigilProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * What is measured is what ships: a NAB-like series of Vigil's own (a daily-like cycle, a spike, a second one 50
 * points later, then a level shift), dropped into the inbox of the packaged jar started with
 * {@code vigil.preset=metrics}, gets for every point the score, rarity, likelihood, severity, anomaly flag and warm-up,
 * event and repeat marks that {@code vigil-eval --preset metrics --scores-out} gives the same file. The inbox's poll
 * timer is longer than the test, so the series, moved in after the first poll, is found by its event.
 */
@ParallelSafe
class ScoresAsMeasuredIT {
    static final TestDirs DIRS = new TestDirs("as-measured");
    private static final int ROWS = 1500;

    @Test
    void inbox_nabLikeSeries_resultsAsVigilEvalScoresThem() throws Exception {
        Map<String, String> config = new HashMap<>(DIRS.overrides());
        config.put("vigil.preset", "metrics");
        config.put("vigil.inbox.enabled", "true");
        // A poll timer longer than the test: a file moved in after the first poll is found by the folder's event.
        config.put("vigil.inbox.poll-delay", "3600000");

        double[] series = SeasonalSeries.generate(3, ROWS, SeasonalSeries.Event.SPIKE, 1000);
        series[1050] += 12;
        for (int i = 1300; i < ROWS; i++) {
            series[i] += 4;
        }
        StringBuilder csv = new StringBuilder("id,key,timestamp,value\n");
        LocalDateTime t0 = LocalDateTime.of(2026, 1, 1, 0, 0);
        for (int i = 0; i < ROWS; i++) {
            csv.append('p').append(i).append(",metric-1,").append(t0.plusMinutes(5L * i).toString().replace('T', ' '))
                    .append(":00,").append(series[i]).append('\n');
        }
        Path file = DIRS.base().resolve("series.csv");
        Files.createDirectories(DIRS.inbox());
        Files.writeString(file, csv);
        Path windows = DIRS.base().resolve("windows.json");
        Files.writeString(windows, "{\"series.csv\": []}");

        Path measured = DIRS.base().resolve("scores.csv");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, EvalCli.run(new String[] {"--preset", "metrics", "--windows", windows.toString(), "--data",
            file.toString(), "--scores-out", measured.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8)),
                out.toString(StandardCharsets.UTF_8));

        Path[] sinks = {DIRS.sink("low"), DIRS.sink("medium"), DIRS.sink("high"), DIRS.sink("critical")};
        try (VigilProcess vigil = VigilProcess.start("as-measured", DIRS.base().resolve("run"), config)) {
            // A file of another key read first: the next timed poll is an hour away, so the series is found by its
            // event.
            SensorData.drop(DIRS.inbox(), "first.csv", "id,key,value\nfirst,another-metric,1.0\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(DIRS.inbox().resolve(".done/first.csv")));
            Files.copy(file, DIRS.inbox().resolve("series.csv.tmp"));
            Files.move(DIRS.inbox().resolve("series.csv.tmp"), DIRS.inbox().resolve("series.csv"),
                    StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(60)).until(() -> JsonLines.read(sinks).size() >= ROWS + 1);
        }

        Map<String, Map<String, Object>> shipped = new HashMap<>();
        for (Map<String, Object> r : JsonLines.read(sinks)) {
            shipped.put((String) r.get("id"), r);
        }
        List<String> rows = Files.readAllLines(measured);
        assertEquals(1 + ROWS, rows.size());
        int anomalies = 0;
        int warmup = 0;
        int repeats = 0;
        for (String line : rows.subList(1, rows.size())) {
            // key,row,timestamp,score,rarity,likelihood,severity,warmup,event,repeat
            String[] m = line.split(",");
            Map<String, Object> r = shipped.get("p" + m[1]);
            String where = "point " + m[1] + ": " + r;
            assertEquals(round(Double.parseDouble(m[3])), ((Number) r.get("score")).doubleValue(), where);
            assertEquals(round(Double.parseDouble(m[4])), ((Number) r.get("rarity")).doubleValue(), where);
            assertEquals(Double.parseDouble(m[5]), ((Number) r.get("likelihood")).doubleValue(), where);
            assertEquals(m[6], r.get("severity"), where);
            assertEquals(Boolean.parseBoolean(m[7]), Objects.equals(r.get("warmup"), true), where);
            long event = Long.parseLong(m[8]);
            assertEquals(event != 0, r.get("isAnomaly"), where);
            assertEquals(event, r.get("event") == null ? 0 : ((Number) r.get("event")).longValue(), where);
            assertEquals(Boolean.parseBoolean(m[9]), Objects.equals(r.get("repeat"), true), where);
            anomalies += event != 0 ? 1 : 0;
            warmup += Boolean.parseBoolean(m[7]) ? 1 : 0;
            repeats += Boolean.parseBoolean(m[9]) ? 1 : 0;
        }
        assertTrue(warmup > 0 && anomalies > 1 && repeats > 0, "every mark compared at least once: " + warmup
                + " warm-up, " + anomalies + " anomalies, " + repeats + " repeats");
    }

    /** The result JSON's rounding of scores and rarities. */
    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
