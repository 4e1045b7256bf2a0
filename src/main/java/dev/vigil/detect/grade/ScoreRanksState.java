package dev.vigil.detect.grade;

/**
 * What a {@link ScoreRanks} holds: per bin, the scores counted in the previous and in the current generation
 * ({@code BINS} entries each), and the size of the current generation. {@code header} names the part, the bins and
 * the window; the arrays are the state's own.
 */
public record ScoreRanksState(String header, int currentSize, int[] previous, int[] current) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "ranks/1";
}
