package dev.vigil.eval.nab;

import java.util.ArrayList;
import java.util.List;

/**
 * Which per-point output NAB scores. NAB picks one threshold for all series, so what it scores must rank points
 * comparably across series: the raw {@code score} of a per-key model need not, its {@code rarity} (a rank among the
 * key's own recent scores, what the service's quantile grading uses) is built to.
 */
public enum ScoreField {
    SCORE("score"),
    RARITY("rarity");

    private final String configName;

    ScoreField(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    double[] of(KeyReplay.PointScores points) {
        return this == SCORE ? points.score() : points.rarity();
    }

    /** {@code score}, {@code rarity}, or both comma-separated, e.g. {@code score,rarity}. */
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
                        + "'; allowed: score, rarity, or both comma-separated");
            }
            if (!fields.contains(field)) {
                fields.add(field);
            }
        }
        return List.copyOf(fields);
    }
}
