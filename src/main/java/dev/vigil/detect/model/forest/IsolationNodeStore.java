package dev.vigil.detect.model.forest;

import dev.vigil.detect.Sizes;
import java.util.Arrays;

/**
 * All nodes of all trees of an isolation forest in one flat array, two longs a node: no object per node, and one
 * cache line per node visited. Tree {@code t} owns the node range {@code [root[t], root[t] + nodeCount[t])}, its
 * root first.
 *
 * <p>Node {@code n} is {@code node[2n]}, the raw bits of its value, and {@code node[2n + 1]}, its child link and
 * feature: {@code child << 32 | feature}. An inner node's value is its split: it sends a point to {@code child}
 * when {@code x[feature] < split} and to {@code child + 1} otherwise (children are allocated side by side). A
 * leaf's value is its relative path length, its feature is {@link #dimensions} and its child itself: the walk
 * reads the point from a copy with NaN at index {@code dimensions}, and NaN is never {@code >=} anything, so
 * walking a leaf stays put. That lets {@link #walk} step all trees in lockstep, one level of every tree at a time,
 * each tree for as many steps as it is high, with no data-dependent exit: the trees' loads of a level are
 * independent, so the processor has many in flight at once. Scoring is bound by dependent loads, not arithmetic,
 * the more so with many keys, where each point meets a forest out of the cache. (Stepping every tree to the
 * highest one's height, leaves included, ran one hot forest at a third of its speed in 5 of 8 JVM runs.)
 *
 * <p>Each tree also keeps <em>guards</em>: the features that were constant in its sample, with their value.
 * A point that differs in such a feature is isolated at the root (path length 1) — a split there would have
 * separated it from every sample point. This is what keeps the forest sharp on constant features and on
 * runs of identical points (a stuck sensor), where plain isolation trees cannot split at all.
 *
 * <p><b>Memory follows the trees.</b> A tree's worst case ({@code maxNodesPerTree}, 449 nodes at the defaults) is
 * about seven times what a tree of a 256-point sample usually takes, and a tree of a few points takes one node.
 * So trees are packed: a rebuilt tree is appended after the others ({@link #startTree} reserves its worst case
 * there) and its old nodes become garbage. When the room runs out, the live trees are moved to the front
 * ({@link #compact}); if that frees too little, the array grows to the live nodes plus a quarter plus one tree's
 * worst case, and by half at least: a young forest's trees grow in number and size at nearly every rebuild (one a
 * point at first), and growing by half copies its nodes a few times, not at nearly every compaction. A compaction
 * moves every live node, so the quarter keeps it to about one in {@code num_trees / 4} rebuilds once the trees
 * stop growing; an array more than twice that target shrinks to it. The array never exceeds
 * {@code trees * maxNodesPerTree} nodes, and only some rebuilds allocate, never a point. The per-tree sample boxes
 * and guards grow with the trees built (doubling), as the window grows with its points.
 */
final class IsolationNodeStore {
    private static final int FIRST_TREES = 8;

    final int trees;
    final int maxNodesPerTree;
    final int dimensions;

    /**
     * The nodes, two longs each (see above): packed trees from node 0 to {@code end}, then free room. A leaf's value
     * is (depth + c(leaf size)) / c(sample size), the path length relative to an average point.
     */
    private long[] node;
    /** The point being walked, then NaN: what a leaf's feature reads. */
    private final double[] probe;
    /** Walk scratch: the node each tree has reached. */
    private final int[] at;
    /** First node of each tree. */
    final int[] root;
    /** Longest root-to-leaf walk of each tree, in steps. */
    final int[] height;
    /** Nodes each tree uses, from its root on (the builder allocates them in order); 0 for no tree. */
    final int[] nodeCount;
    /** Nodes up to here hold trees, current or replaced. */
    private int end;
    /** Nodes of the current trees. */
    private int live;
    /** Compaction scratch: trees in the order they lie. */
    private final int[] byRoot;

    final int[] guardCount;
    /** Trees that have room in the per-tree arrays below ({@code [tree * dimensions + i]}). */
    private int treeSlots;
    int[] guardFeature;
    double[] guardValue;
    /** Path length of a guard-isolated point, relative: 1 / c(sample size). */
    final double[] isolatedValue;

    /** Per tree, the bounding box of its sample: {@code [tree * dimensions + feature]}. */
    double[] boxMin;
    double[] boxMax;
    /** The intersection of the boxes of the built trees, refreshed after every rebuild: inside it, no tree cuts. */
    private final double[] innerMin;
    private final double[] innerMax;

    IsolationNodeStore(int trees, int maxNodesPerTree, int dimensions) {
        this.trees = trees;
        this.maxNodesPerTree = maxNodesPerTree;
        this.dimensions = dimensions;
        Math.multiplyExact(trees, maxNodesPerTree); // the worst case must be addressable
        Math.multiplyExact(trees, dimensions);
        node = new long[0];
        probe = new double[dimensions + 1];
        probe[dimensions] = Double.NaN;
        at = new int[trees];
        root = new int[trees];
        height = new int[trees];
        nodeCount = new int[trees];
        byRoot = new int[trees];
        guardCount = new int[trees];
        isolatedValue = new double[trees];
        guardFeature = new int[0];
        guardValue = new double[0];
        boxMin = new double[0];
        boxMax = new double[0];
        ensureTrees(1);
        innerMin = new double[dimensions];
        innerMax = new double[dimensions];
    }

    /** Makes room for the boxes and guards of trees {@code [0, n)}, doubling. */
    void ensureTrees(int n) {
        if (n <= treeSlots) {
            return;
        }
        treeSlots = Math.min(trees, Math.max(n, Math.max(FIRST_TREES, 2 * treeSlots)));
        int values = treeSlots * dimensions;
        guardFeature = Arrays.copyOf(guardFeature, values);
        guardValue = Arrays.copyOf(guardValue, values);
        boxMin = Arrays.copyOf(boxMin, values);
        boxMax = Arrays.copyOf(boxMax, values);
    }

    /** Forgets every tree (their nodes become garbage), as a restore does before it starts them again. */
    void clear() {
        Arrays.fill(nodeCount, 0);
        live = 0;
        end = 0;
    }

    /**
     * Starts tree {@code tree} anew, with room for up to {@code maxNodes} nodes after the others: its old nodes
     * become garbage, and the arrays are compacted (and resized) first when they lack the room. Returns its root.
     */
    int startTree(int tree, int maxNodes) {
        ensureTrees(tree + 1);
        live -= nodeCount[tree];
        nodeCount[tree] = 0;
        if (end + maxNodes > capacity()) {
            compact();
            long most = (long) trees * maxNodesPerTree;
            long target = Math.min(most, live + live / 4L + maxNodes);
            if (end + maxNodes > capacity()) {
                resize((int) Math.min(most, Math.max(target, capacity() + capacity() / 2L)));
            } else if (capacity() > 2 * target) {
                resize((int) target);
            }
        }
        root[tree] = end;
        return end;
    }

    /** Ends the tree {@link #startTree} started: it took {@code nodes} nodes and is {@code height} steps deep. */
    void endTree(int tree, int nodes, int height) {
        nodeCount[tree] = nodes;
        this.height[tree] = height;
        end += nodes;
        live += nodes;
    }

    /**
     * Moves the current trees to the front, in the order they lie (so each moves down, over garbage only), and
     * shifts their child links with them (a leaf's link to itself included).
     */
    private void compact() {
        int n = 0;
        for (int t = 0; t < trees; t++) {
            if (nodeCount[t] > 0) {
                int i = n++;
                for (; i > 0 && root[byRoot[i - 1]] > root[t]; i--) {
                    byRoot[i] = byRoot[i - 1];
                }
                byRoot[i] = t;
            }
        }
        int to = 0;
        for (int i = 0; i < n; i++) {
            int t = byRoot[i];
            int from = root[t];
            int count = nodeCount[t];
            if (from != to) {
                System.arraycopy(node, 2 * from, node, 2 * to, 2 * count);
                long shift = (long) (to - from) << 32;
                for (int k = 2 * to + 1; k < 2 * (to + count); k += 2) {
                    node[k] += shift;
                }
                root[t] = to;
            }
            to += count;
        }
        end = to;
    }

    /** Nodes the array has room for. */
    int capacity() {
        return node.length / 2;
    }

    private void resize(int nodes) {
        node = Arrays.copyOf(node, 2 * nodes);
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
            if (gap == Double.POSITIVE_INFINITY) {
                sum += 1; // the limit; inf / inf would be NaN (a value beyond float range in a float32 window)
            } else if (gap > 0) {
                sum += gap / (hi - lo + gap);
            }
        }
        return sum / dimensions;
    }

    void setLeaf(int n, double value) {
        node[2 * n] = Double.doubleToRawLongBits(value);
        node[2 * n + 1] = (long) n << 32 | dimensions;
    }

    void setSplit(int n, int f, double value, int leftChild) {
        node[2 * n] = Double.doubleToRawLongBits(value);
        node[2 * n + 1] = (long) leftChild << 32 | f;
    }

    boolean isLeaf(int n) {
        return feature(n) == dimensions;
    }

    /** The feature an inner node splits. */
    int feature(int n) {
        return (int) node[2 * n + 1];
    }

    /** An inner node's split, or a leaf's relative path length. */
    double value(int n) {
        return Double.longBitsToDouble(node[2 * n]);
    }

    /** An inner node's left child; its right child is next to it. */
    int leftChild(int n) {
        return (int) (node[2 * n + 1] >>> 32);
    }

    /**
     * Writes the relative path length of {@code x} in each of the first {@code builtTrees} trees into
     * {@code out[0 .. builtTrees)} and returns their sum.
     */
    double walk(double[] x, int builtTrees, double[] out) {
        final long[] node = this.node;
        final double[] p = probe;
        final int[] at = this.at;
        System.arraycopy(x, 0, p, 0, dimensions);
        int steps = 0;
        for (int t = 0; t < builtTrees; t++) {
            at[t] = root[t];
            steps = Math.max(steps, height[t]);
        }
        for (int s = 0; s < steps; s++) {
            for (int t = 0; t < builtTrees; t++) {
                if (s < height[t]) {
                    at[t] = step(node, at[t], p);
                }
            }
        }
        double sum = 0;
        for (int t = 0; t < builtTrees; t++) {
            out[t] = guardCount[t] != 0 && violatesGuard(t, x) ? isolatedValue[t]
                    : Double.longBitsToDouble(node[2 * at[t]]);
            sum += out[t];
        }
        return sum;
    }

    /** The node after {@code n} on the path of point {@code p} (with NaN after its features): itself at a leaf. */
    private static int step(long[] node, int n, double[] p) {
        long link = node[2 * n + 1];
        return (int) (link >>> 32) + (p[(int) link] >= Double.longBitsToDouble(node[2 * n]) ? 1 : 0);
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
        return Sizes.OBJECT + Sizes.of(node) + Sizes.of(probe) + Sizes.of(at) + Sizes.of(root) + Sizes.of(height)
                + Sizes.of(nodeCount) + Sizes.of(byRoot) + Sizes.of(guardCount) + Sizes.of(guardFeature)
                + Sizes.of(guardValue) + Sizes.of(isolatedValue) + Sizes.of(boxMin) + Sizes.of(boxMax)
                + Sizes.of(innerMin) + Sizes.of(innerMax);
    }
}
