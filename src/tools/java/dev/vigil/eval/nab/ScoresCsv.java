package dev.vigil.eval.nab;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes every point's outputs as the service's results carry them, {@link #HEADER}, so a run can be re-scored,
 * plotted or compared with the service's results without streaming it again. Numbers are written in full (Java's
 * shortest round-trip form), so re-reading gives the same doubles and the same NAB result; {@code likelihood} is
 * NaN outside likelihood mode, {@code event} 0 for a point that is not an anomaly.
 */
final class ScoresCsv {
    static final String HEADER = "key,row,timestamp,score,rarity,likelihood,severity,warmup,event,repeat";

    private ScoresCsv() {
    }

    static void write(Path file, List<TimeSeries> series, List<KeyReplay.PointScores> scores) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.newLine();
            for (int k = 0; k < series.size(); k++) {
                TimeSeries s = series.get(k);
                KeyReplay.PointScores p = scores.get(k);
                String key = quoted(s.name());
                for (int i = 0; i < s.rows(); i++) {
                    w.write(key + ',' + i + ',' + quoted(s.timestampTexts()[i]) + ',' + p.score()[i] + ','
                            + p.rarity()[i] + ',' + p.likelihood()[i] + ',' + p.severity()[i].label() + ','
                            + p.warmup()[i] + ',' + p.event()[i] + ',' + p.repeat()[i]);
                    w.newLine();
                }
            }
        }
    }

    /** RFC 4180 quoting, only when a field needs it (keys are file paths or free-form key values). */
    private static String quoted(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
