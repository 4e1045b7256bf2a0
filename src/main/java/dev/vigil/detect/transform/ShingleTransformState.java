package dev.vigil.detect.transform;

/**
 * What a {@link ShingleTransform} holds: the {@code kept} earlier points a shingle repeats, oldest first
 * ({@code kept * dimensions} values in {@code history}). {@code header} names the part, the dimension and the size;
 * the array is the state's own.
 */
public record ShingleTransformState(String header, int kept, double[] history) {
    /** The part's name and layout version: raise it when the layout changes. */
    public static final String TAG = "shingle/1";
}
