package dev.vigil.detect.grade;

import dev.vigil.detect.InvalidConfigurationException;

/**
 * Score thresholds: a score at or above {@code critical} is {@link Severity#CRITICAL}, at or above
 * {@code high} HIGH, at or above {@code medium} MEDIUM, else LOW; at or above {@code anomaly} it is an
 * anomaly. Defaults 0.6 / 0.8 / 0.9 / 0.7 as in the reference guide.
 */
public record Thresholds(double medium, double high, double critical, double anomaly) {
    public static final Thresholds DEFAULT = new Thresholds(0.6, 0.8, 0.9, 0.7);

    public Thresholds {
        check("medium", medium);
        check("high", high);
        check("critical", critical);
        check("anomaly", anomaly);
        if (!(medium <= high && high <= critical)) {
            throw new IllegalArgumentException("thresholds must satisfy medium <= high <= critical, were "
                    + medium + " / " + high + " / " + critical);
        }
    }

    /**
     * As the constructor, with errors naming the configuration key: {@code <group>.<name>}, or the group itself
     * when the order is wrong (e.g. group {@code vigil.thresholds}).
     */
    public static Thresholds of(String group, double medium, double high, double critical, double anomaly) {
        try {
            return new Thresholds(medium, high, critical, anomaly);
        } catch (IllegalArgumentException e) {
            String name = e.getMessage().split(" ")[0];
            String key = e.getMessage().startsWith("thresholds") ? group : group + "." + name;
            throw new InvalidConfigurationException(key, e.getMessage());
        }
    }

    private static void check(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
    }

    public Severity severity(double score) {
        if (score >= critical) {
            return Severity.CRITICAL;
        }
        if (score >= high) {
            return Severity.HIGH;
        }
        return score >= medium ? Severity.MEDIUM : Severity.LOW;
    }

    public boolean isAnomaly(double score) {
        return score >= anomaly;
    }
}
