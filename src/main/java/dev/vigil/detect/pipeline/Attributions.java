package dev.vigil.detect.pipeline;

import java.util.Arrays;

/** Turns raw per-feature contributions into shares: non-negative, summing to 1. */
public final class Attributions {

    private Attributions() {
    }

    /**
     * Writes {@code raw} as shares into {@code out} (same length; {@code out} may be {@code raw}). Negative and NaN
     * contributions count as 0; infinite ones share everything between them; the rest is divided by its sum
     * (after scaling by the largest, so huge values cannot overflow). When nothing is left (no feature stands out,
     * e.g. a model that has learned nothing yet) every feature gets an equal share: "no feature in particular"
     * rather than an attribution that does not sum to 1.
     */
    public static void normalise(double[] raw, double[] out) {
        if (raw.length != out.length) {
            throw new IllegalArgumentException("attribution of " + raw.length + " features into " + out.length);
        }
        int infinite = 0;
        double largest = 0;
        for (double v : raw) {
            if (v == Double.POSITIVE_INFINITY) {
                infinite++;
            } else if (v > largest) {
                largest = v;
            }
        }
        if (infinite > 0) {
            for (int f = 0; f < raw.length; f++) {
                out[f] = raw[f] == Double.POSITIVE_INFINITY ? 1.0 / infinite : 0.0;
            }
            return;
        }
        if (largest == 0) {
            Arrays.fill(out, 1.0 / out.length);
            return;
        }
        double sum = 0;
        for (double v : raw) {
            sum += v > 0 ? v / largest : 0.0;
        }
        for (int f = 0; f < raw.length; f++) {
            out[f] = raw[f] > 0 ? raw[f] / largest / sum : 0.0;
        }
    }
}
