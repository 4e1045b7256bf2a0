package dev.vigil.detect.grade;

import java.util.Locale;

/**
 * How a result's severity and anomaly flag are decided. {@link Mode#FIXED} is the reference behaviour: the score
 * against {@code scores} (0.6 / 0.8 / 0.9 / 0.7). {@link Mode#QUANTILE} reads thresholds as rates: the score's
 * rarity among its key's recent scores ({@link ScoreRanks}) against {@code rarities}, e.g. critical = rarer than
 * 1 in 10,000. A result without a rarity (NaN: the fallback answered) is graded on its score.
 */
public record Grading(Mode mode, Thresholds scores, Thresholds rarities) {
    public static final Thresholds DEFAULT_RARITIES = new Thresholds(0.99, 0.999, 0.9999, 0.995);

    public enum Mode {
        FIXED, QUANTILE;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Severity severity(double score, double rarity) {
        return byRarity(rarity) ? rarities.severity(rarity) : scores.severity(score);
    }

    public boolean isAnomaly(double score, double rarity) {
        return byRarity(rarity) ? rarities.isAnomaly(rarity) : scores.isAnomaly(score);
    }

    private boolean byRarity(double rarity) {
        return mode == Mode.QUANTILE && !Double.isNaN(rarity);
    }
}
