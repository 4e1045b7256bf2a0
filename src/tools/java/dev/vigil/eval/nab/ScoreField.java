package dev.vigil.eval.nab;

import java.util.ArrayList;
import java.util.List;

/**
 * Which per-point output NAB scores. NAB picks one threshold for all series, so what it scores must rank points
 * comparably across series: the raw {@code score} of a per-key model need not; its {@code rarity} (a rank among the
 * key's own recent scores, what quantile grading uses) and its {@code likelihood} (how unlikely the key's recent
 * scores are under its own score distribution, what likelihood grading uses) are built to. A warm-up point, which
 * the service never alerts on, gives NAB 0 in those two.
 */
public enum ScoreField {
    SCORE("score"),
    RARITY("rarity"),
    LIKELIHOOD("likelihood");

    private final String configName;

    ScoreField(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    double[] of(KeyReplay.PointScores points) {
        if (this == SCORE) {
            return points.score();
        }
        double[] values = (this == RARITY ? points.rarity() : points.likelihood()).clone();
        for (int i = 0; i < values.length; i++) {
            if (points.warmup()[i] || Double.isNaN(values[i])) {
                values[i] = 0;
            }
        }
        return values;
    }

    /** {@code score}, {@code rarity}, {@code likelihood}, or several comma-separated, e.g. {@code score,rarity}. */
    public static List<ScoreField> parseList(String text) {
        List<ScoreField> fields = new ArrayList<>();
        for (String part : text.split(",")) {
            String name = part.trim();
            ScoreField field = null;
            for (ScoreField f : values()) {
                if (f.configName.equals(name)) {
                    field = f;
                }
            }
            if (field == null) {
                throw new IllegalArgumentException("--score-field: unknown field '" + name
                        + "'; allowed: score, rarity, likelihood, or several comma-separated");
            }
            if (!fields.contains(field)) {
                fields.add(field);
            }
        }
        return List.copyOf(fields);
    }
}
