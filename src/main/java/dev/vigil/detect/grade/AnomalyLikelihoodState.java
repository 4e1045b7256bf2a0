package dev.vigil.detect.grade;

/**
 * What an {@link AnomalyLikelihood} holds: the last scores (a ring of {@code SHORT_WINDOW}), the sums of the
 * averages of each complete block (a ring of {@code BLOCKS}) and of the open block, and whether the last
 * likelihood was red. The fitted distribution is not kept: it follows from the complete blocks. {@code header}
 * names the part and its window sizes; the arrays are the state's own.
 */
public record AnomalyLikelihoodState(String header, int recentCount, int recentNext, double[] recent, int blocks,
        int blockNext, double[] blockSum, double[] blockSquares, double sum, double squares, int inBlock,
        boolean previousRed) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "likelihood/1";
}
