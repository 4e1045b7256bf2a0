package dev.vigil.detect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * All nodes of all trees of an isolation forest in a few flat arrays: no object per node, and tree {@code t}
 * owns the index range {@code [t * nodesPerTree, (t + 1) * nodesPerTree)} with its root first.
 *
 * <p>An inner node sends a point to {@code child[n]} when {@code x[feature[n]] < split[n]} and to
 * {@code child[n] + 1} otherwise (children are allocated side by side). A leaf has {@code split = +inf} and
 * {@code child = itself}, so walking a leaf stays put. That lets {@link #walk} step several trees in lockstep
 * for a fixed number of steps, with no data-dependent exit, which hides memory latency: scoring is bound by
 * dependent loads, not arithmetic.
 *
 * <p>Each tree also keeps <em>guards</em>: the features that were constant in its sample, with their value.
 * A point that differs in such a feature is isolated at the root (path length 1) — a split there would have
 * separated it from every sample point. This is what keeps the forest sharp on constant features and on
 * runs of identical points (a stuck sensor), where plain isolation trees cannot split at all.
 */
final class IsolationNodeStore {
    private static final int LOCKSTEP = 4;

    final int trees;
    final int nodesPerTree;
    final int dimensions;

    final int[] feature;
    final double[] split;
    final int[] child;
    /** At leaves: (depth + c(leaf size)) / c(sample size), the path length relative to an average point. */
    final double[] leafValue;
    /** Longest root-to-leaf walk of each tree, in steps. */
    final int[] height;
    /** Nodes each tree uses, from its root on (the builder allocates them in order). */
    final int[] nodeCount;

    final int[] guardCount;
    final int[] guardFeature;
    final double[] guardValue;
    /** Path length of a guard-isolated point, relative: 1 / c(sample size). */
    final double[] isolatedValue;

    /** Per tree, the bounding box of its sample: {@code [tree * dimensions + feature]}. */
    final double[] boxMin;
    final double[] boxMax;
    /** The intersection of the boxes of the built trees, refreshed after every rebuild: inside it, no tree cuts. */
    private final double[] innerMin;
    private final double[] innerMax;

    IsolationNodeStore(int trees, int nodesPerTree, int dimensions) {
        this.trees = trees;
        this.nodesPerTree = nodesPerTree;
        this.dimensions = dimensions;
        int nodes = Math.multiplyExact(trees, nodesPerTree);
        feature = new int[nodes];
        split = new double[nodes];
        child = new int[nodes];
        leafValue = new double[nodes];
        height = new int[trees];
        nodeCount = new int[trees];
        guardCount = new int[trees];
        guardFeature = new int[Math.multiplyExact(trees, dimensions)];
        guardValue = new double[guardFeature.length];
        isolatedValue = new double[trees];
        boxMin = new double[guardFeature.length];
        boxMax = new double[guardFeature.length];
        innerMin = new double[dimensions];
        innerMax = new double[dimensions];
    }

    /** Recomputes the intersection of the sample boxes of trees {@code [0, builtTrees)}. */
    void refreshInnerBox(int builtTrees) {
        for (int f = 0; f < dimensions; f++) {
            double min = Double.NEGATIVE_INFINITY;
            double max = Double.POSITIVE_INFINITY;
            for (int t = 0, i = f; t < builtTrees; t++, i += dimensions) {
                min = Math.max(min, boxMin[i]);
                max = Math.min(max, boxMax[i]);
            }
            innerMin[f] = min;
            innerMax[f] = max;
        }
    }

    /** Whether {@code x} lies inside every tree's sample box (then no tree can cut it off its sample). */
    boolean insideEveryBox(double[] x) {
        for (int f = 0; f < dimensions; f++) {
            if (x[f] < innerMin[f] || x[f] > innerMax[f]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The probability that a cut at the root of tree {@code t} isolates {@code x} at once, had the point been
     * in its sample: a random feature, then a uniform cut over its range extended to x. For feature f with gap
     * g outside the sample's range r that is g / (r + g); averaged over the features. 0 inside the tree's box.
     */
    double gapProbability(int tree, double[] x) {
        int base = tree * dimensions;
        double sum = 0;
        for (int f = 0; f < dimensions; f++) {
            double v = x[f];
            double lo = boxMin[base + f];
            double hi = boxMax[base + f];
            double gap = v < lo ? lo - v : v > hi ? v - hi : 0;
            if (gap > 0) {
                sum += gap / (hi - lo + gap);
            }
        }
        return sum / dimensions;
    }

    int root(int tree) {
        return tree * nodesPerTree;
    }

    void setLeaf(int node, double value) {
        feature[node] = 0;
        split[node] = Double.POSITIVE_INFINITY;
        child[node] = node;
        leafValue[node] = value;
    }

    void setSplit(int node, int f, double value, int leftChild) {
        feature[node] = f;
        split[node] = value;
        child[node] = leftChild;
        leafValue[node] = 0;
    }

    /**
     * Writes the relative path length of {@code x} in each of the first {@code builtTrees} trees into
     * {@code out[0 .. builtTrees)} and returns their sum.
     */
    double walk(double[] x, int builtTrees, double[] out) {
        final int[] feature = this.feature;
        final double[] split = this.split;
        final int[] child = this.child;
        int t = 0;
        for (; t + LOCKSTEP <= builtTrees; t += LOCKSTEP) {
            int a = root(t);
            int b = a + nodesPerTree;
            int c = b + nodesPerTree;
            int d = c + nodesPerTree;
            int steps = Math.max(Math.max(height[t], height[t + 1]), Math.max(height[t + 2], height[t + 3]));
            for (int s = 0; s < steps; s++) {
                a = child[a] + (x[feature[a]] >= split[a] ? 1 : 0);
                b = child[b] + (x[feature[b]] >= split[b] ? 1 : 0);
                c = child[c] + (x[feature[c]] >= split[c] ? 1 : 0);
                d = child[d] + (x[feature[d]] >= split[d] ? 1 : 0);
            }
            out[t] = leafValue[a];
            out[t + 1] = leafValue[b];
            out[t + 2] = leafValue[c];
            out[t + 3] = leafValue[d];
        }
        for (; t < builtTrees; t++) {
            int n = root(t);
            for (int s = height[t]; s > 0; s--) {
                n = child[n] + (x[feature[n]] >= split[n] ? 1 : 0);
            }
            out[t] = leafValue[n];
        }
        double sum = 0;
        for (t = 0; t < builtTrees; t++) {
            if (guardCount[t] != 0 && violatesGuard(t, x)) {
                out[t] = isolatedValue[t];
            }
            sum += out[t];
        }
        return sum;
    }

    private boolean violatesGuard(int tree, double[] x) {
        int base = tree * dimensions;
        for (int i = base, end = base + guardCount[tree]; i < end; i++) {
            if (x[guardFeature[i]] != guardValue[i]) {
                return true;
            }
        }
        return false;
    }

    long sizeInBytes() {
        return Sizes.OBJECT + Sizes.of(feature) + Sizes.of(split) + Sizes.of(child) + Sizes.of(leafValue)
                + Sizes.of(height) + Sizes.of(nodeCount) + Sizes.of(guardCount) + Sizes.of(guardFeature) + Sizes.of(guardValue)
                + Sizes.of(isolatedValue) + Sizes.of(boxMin) + Sizes.of(boxMax) + Sizes.of(innerMin)
                + Sizes.of(innerMax);
    }

    /**
     * The first {@code builtTrees} trees, each with only the nodes it uses: a leaf as -1 and its value, an inner
     * node as feature, split and left child (relative to the root); then height, guards and sample box.
     */
    void writeState(DataOutput out, int builtTrees) throws IOException {
        for (int t = 0; t < builtTrees; t++) {
            int root = root(t);
            out.writeInt(nodeCount[t]);
            out.writeInt(height[t]);
            for (int n = root, end = root + nodeCount[t]; n < end; n++) {
                if (child[n] == n) {
                    out.writeInt(-1);
                    out.writeDouble(leafValue[n]);
                } else {
                    out.writeInt(feature[n]);
                    out.writeDouble(split[n]);
                    out.writeInt(child[n] - root);
                }
            }
            int base = t * dimensions;
            out.writeInt(guardCount[t]);
            StateIo.writeInts(out, guardFeature, base, guardCount[t]);
            StateIo.writeDoubles(out, guardValue, base, guardCount[t]);
            out.writeDouble(isolatedValue[t]);
            StateIo.writeDoubles(out, boxMin, base, dimensions);
            StateIo.writeDoubles(out, boxMax, base, dimensions);
        }
    }

    /** Reads what {@link #writeState} wrote; every index is checked, so a walk can never leave its tree. */
    void readState(DataInput in, int builtTrees) throws IOException {
        for (int t = 0; t < builtTrees; t++) {
            int root = root(t);
            int count = StateIo.readCount(in, "tree " + t + " node count", 1, nodesPerTree);
            height[t] = StateIo.readCount(in, "tree " + t + " height", 0, count);
            nodeCount[t] = count;
            for (int i = 0; i < count; i++) {
                int f = in.readInt();
                if (f == -1) {
                    setLeaf(root + i, in.readDouble());
                } else if (f >= 0 && f < dimensions) {
                    double value = in.readDouble();
                    int left = StateIo.readCount(in, "tree " + t + " child", i + 1, count - 2);
                    setSplit(root + i, f, value, root + left);
                } else {
                    throw new CheckpointFormatException("tree " + t + " splits feature " + f + " of " + dimensions);
                }
            }
            int base = t * dimensions;
            guardCount[t] = StateIo.readCount(in, "tree " + t + " guard count", 0, dimensions);
            StateIo.readInts(in, guardFeature, base, guardCount[t]);
            for (int i = base, end = base + guardCount[t]; i < end; i++) {
                if (guardFeature[i] < 0 || guardFeature[i] >= dimensions) {
                    throw new CheckpointFormatException("tree " + t + " guards feature " + guardFeature[i]);
                }
            }
            StateIo.readDoubles(in, guardValue, base, guardCount[t]);
            isolatedValue[t] = in.readDouble();
            StateIo.readDoubles(in, boxMin, base, dimensions);
            StateIo.readDoubles(in, boxMax, base, dimensions);
        }
    }
}
