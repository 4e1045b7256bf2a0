package dev.vigil.eval.nab;

import java.util.List;

/**
 * One of NAB's application profiles ({@code config/profiles.json}): what a detected window earns (A_TP), what a
 * detection outside every window costs (A_FP) and what a missed window costs (A_FN). NAB also lists a TN weight
 * but never uses it, so it is left out.
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {
    public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0);
    public static final NabProfile REWARD_LOW_FP_RATE = new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0);
    public static final NabProfile REWARD_LOW_FN_RATE = new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0);

    /** The three profiles in the order NAB's scoreboard lists them. */
    public static List<NabProfile> all() {
        return List.of(STANDARD, REWARD_LOW_FP_RATE, REWARD_LOW_FN_RATE);
    }
}
