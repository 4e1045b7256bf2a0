package dev.vigil.detect.model.forest;

/**
 * One built tree of an {@link IsolationForest}: its nodes from the root on, in the order the builder allocated them,
 * then its guards and its sample's box. Node {@code i} is a leaf when {@code feature[i] == -1} ({@code value[i]} is
 * its relative path length, {@code left[i]} unused), otherwise it splits feature {@code feature[i]} at
 * {@code value[i]} and its children are nodes {@code left[i]} and {@code left[i] + 1}. {@code height} is the
 * longest root-to-leaf walk, {@code isolatedValue} the path length of a point a guard isolates, and the box has one
 * minimum and maximum per feature. The arrays are the state's own.
 */
public record IsolationTreeState(int height, int[] feature, double[] value, int[] left, int[] guardFeature,
        double[] guardValue, double isolatedValue, double[] boxMin, double[] boxMax) {

    /** {@code feature} of a leaf. */
    public static final int LEAF = -1;
}
