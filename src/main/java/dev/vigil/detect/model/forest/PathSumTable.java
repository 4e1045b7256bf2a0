package dev.vigil.detect.model.forest;

import dev.vigil.detect.Sizes;
import java.util.Arrays;

/**
 * The summed path length of every tree of a one-feature forest, as one step function of the feature: scoring a
 * point is then a binary search, where walking the trees reads a node of every tree at every level.
 *
 * <p>Why: metric streams bring one feature per point and many keys, one point per key in turn, so each point meets
 * a forest out of the cache. A walk of 100 trees waits for several hundred cache lines; a search of this table for
 * a dozen.
 *
 * <p>How: on one feature a tree cuts the line into intervals, one per leaf, in the order of an in-order walk, and
 * a point lands in the leaf of its interval (it goes right at a split when {@code x >= split}). The forest's sum is
 * constant between the cuts of all its trees. The table keeps those cuts where the sum changes ({@link #cuts},
 * strictly increasing) and the sum on each interval ({@link #sums}: {@code sums[i]} for a point with exactly
 * {@code i} cuts at or below it). A rebuilt tree is subtracted and its new version added in one linear merge.
 *
 * <p>A point outside a tree's sample box lies beyond all of its cuts, in its leftmost or rightmost leaf, so the
 * table also keeps each tree's first and last cut and the paths of its edge leaves: the forest's correction for
 * such points needs no walk either.
 *
 * <p>The sums are fixed point ({@value #FRACTION_BITS} fraction bits), so adding and subtracting trees is exact:
 * the table after any sequence of rebuilds equals the one built afresh from the same trees (as a restored forest
 * does), and scores do not depend on the history of the rebuilds. A tree's guard (its sample constant: every other
 * point is isolated at the root) is the interval {@code [value, nextUp(value))}.
 *
 * <p>Memory: a cut and a sum per distinct cut, 16 bytes, about a third of what the trees' nodes take; grown by half
 * at rebuilds that need it, never per point, and bounded by the trees' worst case.
 */
final class PathSumTable {
    private static final int FRACTION_BITS = 40;
    private static final double SCALE = 1L << FRACTION_BITS;

    private double[] cuts = new double[0];
    private long[] sums = {0};
    private int size;

    /** Per tree: its first and last cut, and the path below the first and from the last on (its edge leaves). */
    private final double[] firstCut;
    private final double[] lastCut;
    private final long[] leftPath;
    private final long[] rightPath;

    /** One tree's step function before and after its rebuild: scratch of {@link #remove} and {@link #add}. */
    private final TreeSteps before;
    private final TreeSteps after;

    PathSumTable(int trees, int maxNodesPerTree) {
        firstCut = new double[trees];
        lastCut = new double[trees];
        leftPath = new long[trees];
        rightPath = new long[trees];
        before = new TreeSteps(maxNodesPerTree);
        after = new TreeSteps(maxNodesPerTree);
    }

    /** The summed relative path length of {@code x} over the trees the table holds, in fixed point. */
    long fixedSum(double x) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cuts[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sums[lo];
    }

    /** Whether {@code x} lies below tree {@code t}'s first cut or at or above its last: in one of its edge leaves. */
    boolean atEdge(int t, double x) {
        return x < firstCut[t] || x >= lastCut[t];
    }

    /** The relative path of tree {@code t} for an {@code x} {@link #atEdge}, in fixed point. */
    long edgePath(int t, double x) {
        return x < firstCut[t] ? leftPath[t] : rightPath[t];
    }

    /** Records tree {@code t} as it is now, to be replaced by {@link #add} once it is rebuilt. */
    void remove(IsolationNodeStore nodes, int t) {
        before.of(nodes, t);
    }

    /** Adds tree {@code t} as built, minus the version {@link #remove} recorded (none if it did not). */
    void add(IsolationNodeStore nodes, int t) {
        after.of(nodes, t);
        merge(before, after);
        before.clear();
        keepEdges(t);
    }

    private void keepEdges(int t) {
        firstCut[t] = after.size == 0 ? Double.POSITIVE_INFINITY : after.cuts[0];
        lastCut[t] = after.size == 0 ? Double.NEGATIVE_INFINITY : after.cuts[after.size - 1];
        leftPath[t] = after.sums[0];
        rightPath[t] = after.sums[after.size];
    }

    /**
     * The table of trees {@code [0, builtTrees)}, afresh (for a restored forest). Adding the trees one by one would
     * pass over the table once per tree, several times what the rest of a restore costs, so the trees' steps (each
     * tree's cuts with the change of its path there, already in order) are merged pairwise, runs of one tree, then
     * of two, four..., and summed in one sweep.
     */
    void rebuild(IsolationNodeStore nodes, int builtTrees) {
        before.clear();
        int[] bounds = new int[builtTrees + 1];
        double[] stepCuts = new double[64];
        long[] stepChanges = new long[64];
        long value = 0;
        for (int t = 0; t < builtTrees; t++) {
            after.of(nodes, t);
            keepEdges(t);
            value += after.sums[0];
            int n = bounds[t];
            if (stepCuts.length < n + after.size) {
                stepCuts = Arrays.copyOf(stepCuts, Math.max(n + after.size, 2 * stepCuts.length));
                stepChanges = Arrays.copyOf(stepChanges, stepCuts.length);
            }
            for (int k = 0; k < after.size; k++) {
                stepCuts[n + k] = after.cuts[k];
                stepChanges[n + k] = after.sums[k + 1] - after.sums[k];
            }
            bounds[t + 1] = n + after.size;
        }
        int total = bounds[builtTrees];
        double[] mergedCuts = new double[total];
        long[] mergedChanges = new long[total];
        for (int runs = builtTrees; runs > 1; runs = (runs + 1) / 2) {
            for (int r = 0; r < runs; r += 2) {
                int hi = bounds[Math.min(r + 2, runs)];
                int a = bounds[r];
                int mid = bounds[Math.min(r + 1, runs)];
                int b = mid;
                for (int out = a; out < hi; out++) {
                    boolean left = b == hi || (a < mid && stepCuts[a] <= stepCuts[b]);
                    int from = left ? a++ : b++;
                    mergedCuts[out] = stepCuts[from];
                    mergedChanges[out] = stepChanges[from];
                }
                bounds[r / 2] = bounds[r];
            }
            bounds[(runs + 1) / 2] = total;
            double[] c = stepCuts;
            stepCuts = mergedCuts;
            mergedCuts = c;
            long[] d = stepChanges;
            stepChanges = mergedChanges;
            mergedChanges = d;
        }
        if (cuts.length < total) {
            cuts = new double[total];
            sums = new long[total + 1];
        }
        size = 0;
        sums[0] = value;
        for (int k = 0; k < total; ) {
            double v = stepCuts[k];
            while (k < total && stepCuts[k] == v) {
                value += stepChanges[k++];
            }
            if (value != sums[size]) {
                cuts[size] = v;
                sums[++size] = value;
            }
        }
    }

    /**
     * This table minus {@code old} plus {@code young}, keeping a cut only where the sum changes. In place: the table
     * first moves up by the cuts of both trees, then the merge writes from the start. Each merged cut consumes at
     * least one cut read, so writing stays behind reading.
     */
    private void merge(TreeSteps old, TreeSteps young) {
        int k = old.size + young.size;
        if (cuts.length < size + k) {
            int grown = Math.max(size + k, cuts.length + cuts.length / 2);
            cuts = Arrays.copyOf(cuts, grown);
            sums = Arrays.copyOf(sums, grown + 1);
        }
        System.arraycopy(cuts, 0, cuts, k, size);
        System.arraycopy(sums, 0, sums, k, size + 1);
        int end = k + size;
        int i = k;
        int a = 0;
        int b = 0;
        int m = 0;
        long last = sums[i] - old.sums[0] + young.sums[0];
        sums[0] = last;
        while (i < end || a < old.size || b < young.size) {
            double v = Double.POSITIVE_INFINITY;
            if (i < end) {
                v = cuts[i];
            }
            if (a < old.size && old.cuts[a] < v) {
                v = old.cuts[a];
            }
            if (b < young.size && young.cuts[b] < v) {
                v = young.cuts[b];
            }
            if (i < end && cuts[i] == v) {
                i++;
            }
            if (a < old.size && old.cuts[a] == v) {
                a++;
            }
            if (b < young.size && young.cuts[b] == v) {
                b++;
            }
            long value = sums[i] - old.sums[a] + young.sums[b];
            if (value != last) {
                cuts[m] = v;
                sums[++m] = value;
                last = value;
            }
        }
        size = m;
    }

    /** Distinct cuts in the table. */
    int size() {
        return size;
    }

    long sizeInBytes() {
        return Sizes.OBJECT + Sizes.of(cuts) + Sizes.of(sums) + Sizes.of(firstCut) + Sizes.of(lastCut)
                + Sizes.of(leftPath) + Sizes.of(rightPath) + before.sizeInBytes() + after.sizeInBytes();
    }

    /** A path length in the table's fixed point. */
    static long fixed(double relativePath) {
        return Math.round(relativePath * SCALE);
    }

    static double real(long fixed) {
        return fixed / SCALE;
    }

    /** One tree as a step function: its cuts where the path changes, in order, and the path on each interval. */
    private static final class TreeSteps {
        final double[] cuts;
        final long[] sums;
        int size;

        TreeSteps(int maxNodes) {
            int leaves = maxNodes / 2 + 2; // a guard's single leaf takes three intervals
            cuts = new double[leaves];
            sums = new long[leaves + 1];
        }

        void clear() {
            size = 0;
            sums[0] = 0;
        }

        void of(IsolationNodeStore nodes, int t) {
            size = -1;
            int root = nodes.root[t];
            if (nodes.guardCount[t] != 0) {
                // One feature constant in the sample: the tree is one leaf, every other value isolated at the root.
                double guard = nodes.guardValue[t * nodes.dimensions];
                double isolated = nodes.isolatedValue[t];
                step(0, isolated);
                step(guard, nodes.value(root));
                step(Math.nextUp(guard), isolated);
            } else {
                inOrder(nodes, root, 0);
            }
        }

        /** Children lie after their parent (as built, and as a checkpoint is checked), so this ends. */
        private void inOrder(IsolationNodeStore nodes, int n, double cutBefore) {
            if (nodes.isLeaf(n)) {
                step(cutBefore, nodes.value(n));
                return;
            }
            inOrder(nodes, nodes.leftChild(n), cutBefore);
            inOrder(nodes, nodes.leftChild(n) + 1, nodes.value(n));
        }

        /** The path is {@code path} from {@code cut} on; a cut that changes nothing is left out. */
        private void step(double cut, double path) {
            long value = fixed(path);
            if (size < 0) {
                sums[0] = value;
                size = 0;
            } else if (value != sums[size] && (size == 0 || cut > cuts[size - 1])) {
                // Cuts only rise; a second step at the same cut (a guard at +inf) would land in an empty interval.
                cuts[size] = cut;
                sums[++size] = value;
            }
        }

        long sizeInBytes() {
            return Sizes.OBJECT + Sizes.of(cuts) + Sizes.of(sums);
        }
    }
}
