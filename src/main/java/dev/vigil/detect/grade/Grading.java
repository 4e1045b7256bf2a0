package dev.vigil.detect.grade;

import java.util.Locale;

/**
 * How a result's severity and anomaly flag are decided. {@link Mode#FIXED} is the reference behaviour: the score
 * against {@code scores} (0.6 / 0.8 / 0.9 / 0.7). {@link Mode#QUANTILE} reads thresholds as rates: the score's
 * rarity among its key's recent scores ({@link ScoreRanks}) against {@code rarities}, e.g. critical = rarer than
 * 1 in 10,000. {@link Mode#LIKELIHOOD} grades how unlikely the key's recent scores are under its own long-run
 * score distribution ({@link AnomalyLikelihood}, or 1 when a reading leaves the key's {@link ValueRange}) against
 * {@code likelihoods}. A result without the value its mode grades on (NaN: the fallback answered) is graded on its
 * score.
 */
public record Grading(Mode mode, Thresholds scores, Thresholds rarities, Thresholds likelihoods) {
    public static final Thresholds DEFAULT_RARITIES = new Thresholds(0.99, 0.999, 0.9999, 0.995);
    /** Rarer than 1 in 1,000 / 10,000 / 100,000 under the key's own score distribution; anomaly from 1 in 100,000. */
    public static final Thresholds DEFAULT_LIKELIHOODS = new Thresholds(0.999, 0.9999, 0.99999, 0.99999);

    public enum Mode {
        FIXED, QUANTILE, LIKELIHOOD;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Likelihood thresholds at their defaults. */
    public Grading(Mode mode, Thresholds scores, Thresholds rarities) {
        this(mode, scores, rarities, DEFAULT_LIKELIHOODS);
    }

    public Severity severity(double score, double rarity) {
        return severity(score, rarity, Double.NaN);
    }

    public boolean isAnomaly(double score, double rarity) {
        return isAnomaly(score, rarity, Double.NaN);
    }

    public Severity severity(double score, double rarity, double likelihood) {
        return thresholds(rarity, likelihood).severity(value(score, rarity, likelihood));
    }

    public boolean isAnomaly(double score, double rarity, double likelihood) {
        return thresholds(rarity, likelihood).isAnomaly(value(score, rarity, likelihood));
    }

    /** What this mode grades: the likelihood, the rarity or the score. */
    private double value(double score, double rarity, double likelihood) {
        if (mode == Mode.LIKELIHOOD && !Double.isNaN(likelihood)) {
            return likelihood;
        }
        return mode == Mode.QUANTILE && !Double.isNaN(rarity) ? rarity : score;
    }

    private Thresholds thresholds(double rarity, double likelihood) {
        if (mode == Mode.LIKELIHOOD && !Double.isNaN(likelihood)) {
            return likelihoods;
        }
        return mode == Mode.QUANTILE && !Double.isNaN(rarity) ? rarities : scores;
    }
}
