package dev.vigil.service.point;

import java.util.Locale;

/**
 * Why a point scored as it did: each feature's share of the score ({@code shares}, in the entity's schema order,
 * non-negative, summing to 1) and the few largest as the short text an alert shows, e.g.
 * {@code temperature 71%, pressure 20%, humidity 6%}.
 */
public record Explanation(double[] shares, String text) {
    /** Features named in the text. */
    static final int TOP = 3;

    /** The explanation of {@code shares} over the features {@code names}; keeps {@code shares}. */
    public static Explanation of(String[] names, double[] shares) {
        // The TOP largest by selection, ties to the earlier feature: a handful of features, no sort needed.
        boolean[] taken = new boolean[shares.length];
        StringBuilder text = new StringBuilder();
        for (int rank = 0; rank < Math.min(TOP, shares.length); rank++) {
            int best = -1;
            for (int f = 0; f < shares.length; f++) {
                if (!taken[f] && (best < 0 || shares[f] > shares[best])) {
                    best = f;
                }
            }
            taken[best] = true;
            if (rank > 0) {
                text.append(", ");
            }
            text.append(names[best]).append(' ').append(String.format(Locale.ROOT, "%d%%", Math.round(100 * shares[best])));
        }
        return new Explanation(shares, text.toString());
    }
}
