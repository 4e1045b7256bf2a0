package dev.vigil.detect.model.forest;

import java.util.Arrays;

/**
 * Which features isolated a point in one tree of an {@link IsolationForest}: shares over the features, summing to
 * 1, from the three ways a tree can isolate a point.
 *
 * <ul>
 * <li><b>Guards.</b> A point that differs in a feature constant in the tree's sample is isolated at the root by
 * that feature: it takes everything (shared between the guards it breaks).
 * <li><b>Splits on its path.</b> Each split narrows the box the point is in; a split on feature f that narrows it
 * from width w to w' is worth {@code ln(w / w')} to f. Splits are drawn uniformly over the node's range, so a point
 * in the thick of a feature keeps about half of it whichever side it falls on (about 0.3 per split on average),
 * while a point at the edge of a feature, or beyond it, keeps only the part between the cut and the edge (1 per
 * split on average, more as the sample thins out there). Counting the features on the path, however weighted by
 * depth, would not tell them apart: the builder picks the feature of every node at random, whatever the point.
 * <li><b>Outside the sample's box.</b> Where the forest shortens the path of a point outside the tree's sample
 * box (see {@link IsolationForest}), the part of the path it removed is shared between the features by the same
 * per-feature gap probabilities {@code g / (r + g)} that made it.
 * </ul>
 */
final class IsolationAttribution {
    private final IsolationNodeStore nodes;
    private final int dimensions;
    /** The box of the node being walked. */
    private final double[] lo;
    private final double[] hi;
    private final double[] gaps;

    IsolationAttribution(IsolationNodeStore nodes) {
        this.nodes = nodes;
        this.dimensions = nodes.dimensions;
        this.lo = new double[dimensions];
        this.hi = new double[dimensions];
        this.gaps = new double[dimensions];
    }

    /**
     * Writes into {@code shares} the features' shares in isolating {@code x} in tree {@code t}: {@code walked} is its
     * relative path from the walk, {@code path} the one the score used (shorter when the point is outside the box).
     */
    void shares(int t, double[] x, double walked, double path, double[] shares) {
        Arrays.fill(shares, 0.0);
        if (guards(t, x, shares)) {
            return;
        }
        splits(t, x, shares);
        double removed = walked > 0 ? 1 - path / walked : 0;
        double gapSum = removed > 0 ? gaps(t, x) : 0;
        if (gapSum > 0) {
            for (int f = 0; f < dimensions; f++) {
                shares[f] = (1 - removed) * shares[f] + removed * gaps[f] / gapSum;
            }
        }
    }

    private boolean guards(int t, double[] x, double[] shares) {
        int base = t * dimensions;
        int broken = 0;
        for (int i = base, end = base + nodes.guardCount[t]; i < end; i++) {
            if (x[nodes.guardFeature[i]] != nodes.guardValue[i]) {
                shares[nodes.guardFeature[i]] = 1;
                broken++;
            }
        }
        for (int f = 0; broken > 0 && f < dimensions; f++) {
            shares[f] /= broken;
        }
        return broken > 0;
    }

    /** The log-narrowing of the box by each feature along x's path, as shares (all 0 for a one-leaf tree). */
    private void splits(int t, double[] x, double[] shares) {
        int base = t * dimensions;
        System.arraycopy(nodes.boxMin, base, lo, 0, dimensions);
        System.arraycopy(nodes.boxMax, base, hi, 0, dimensions);
        double sum = 0;
        for (int n = nodes.root[t]; !nodes.isLeaf(n); ) {
            int f = nodes.feature(n);
            double cut = nodes.value(n);
            double before = hi[f] - lo[f];
            if (x[f] < cut) {
                hi[f] = cut;
                n = nodes.leftChild(n);
            } else {
                lo[f] = cut;
                n = nodes.leftChild(n) + 1;
            }
            if (before > 0) {
                double narrowing = Math.log(before / Math.max(hi[f] - lo[f], before * 1e-9));
                shares[f] += narrowing;
                sum += narrowing;
            }
        }
        for (int f = 0; sum > 0 && f < dimensions; f++) {
            shares[f] /= sum;
        }
    }

    /** Per feature, the chance {@code g / (r + g)} that a cut falls between x and the sample; returns their sum. */
    private double gaps(int t, double[] x) {
        int base = t * dimensions;
        double sum = 0;
        for (int f = 0; f < dimensions; f++) {
            double low = nodes.boxMin[base + f];
            double high = nodes.boxMax[base + f];
            double gap = x[f] < low ? low - x[f] : x[f] > high ? x[f] - high : 0;
            gaps[f] = gap > 0 ? gap / (high - low + gap) : 0;
            sum += gaps[f];
        }
        return sum;
    }
}
