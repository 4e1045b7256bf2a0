package dev.vigil.detect.grade;

import dev.vigil.detect.Sizes;
import java.util.Arrays;

/**
 * How rare a score is among one key's recent scores: its rarity is the share of recent scores below it, so a
 * rarity of 0.9999 reads "rarer than 1 in 10,000". Scores live in [0, 1]; they are counted in {@value #BINS}
 * equal bins (a position inside a bin is interpolated), in two generations of {@code window} scores each, so
 * "recent" is the last {@code window} to {@code 2 × window} scores and memory is two int arrays whatever the
 * window. A Fenwick tree over both generations answers and updates in O(log bins), without allocation.
 *
 * <p>The share is taken over {@code n + 1}, not {@code n} (the empirical p-value), so a key with few scores
 * cannot call anything rarer than it has seen room for: after 100 scores the highest rarity is 100/101.
 * Deterministic, single-writer. Checkpointed as {@link ScoreRanksState}: the counts of both generations per bin.
 */
public final class ScoreRanks {
    static final int BINS = 512;

    final int window;
    /** Counts of the current generation per bin; the tree holds current + previous. */
    final int[] current = new int[BINS];
    /** Fenwick tree (1-based) of the counts of both generations. */
    private final int[] tree = new int[BINS + 1];
    int currentSize;
    long total;

    public ScoreRanks(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.window = window;
    }

    /** The rarity of {@code score} among the recent scores, in [0, 1); NaN for a NaN score. */
    public double rarity(double score) {
        if (Double.isNaN(score)) {
            return Double.NaN;
        }
        double position = Math.min(Math.max(score, 0), 1) * BINS;
        int bin = Math.min((int) position, BINS - 1);
        long below = prefix(bin);
        long inBin = prefix(bin + 1) - below;
        return (below + inBin * Math.min(position - bin, 1)) / (total + 1);
    }

    /** Counts {@code score} as a recent score. */
    public void add(double score) {
        if (Double.isNaN(score)) {
            return;
        }
        if (currentSize == window) {
            rotate();
        }
        int bin = Math.min((int) (Math.min(Math.max(score, 0), 1) * BINS), BINS - 1);
        current[bin]++;
        currentSize++;
        total++;
        for (int i = bin + 1; i <= BINS; i += i & -i) {
            tree[i]++;
        }
    }

    /** Scores still counted: between {@code window} and {@code 2 × window} once warm. */
    public long size() {
        return total;
    }

    public long sizeInBytes() {
        return Sizes.OBJECT + 24 + Sizes.of(current) + Sizes.of(tree);
    }

    /** Sum of the counts of bins {@code [0, bins)}. */
    long prefix(int bins) {
        long sum = 0;
        for (int i = bins; i > 0; i -= i & -i) {
            sum += tree[i];
        }
        return sum;
    }

    /** The previous generation is forgotten; the current one becomes the previous. */
    private void rotate() {
        rebuild(current);
        total = currentSize;
        Arrays.fill(current, 0);
        currentSize = 0;
    }

    /** Rebuilds the tree from per-bin counts in O(bins). */
    void rebuild(int[] counts) {
        for (int b = 0; b < BINS; b++) {
            tree[b + 1] = counts[b];
        }
        for (int i = 1; i <= BINS; i++) {
            int parent = i + (i & -i);
            if (parent <= BINS) {
                tree[parent] += tree[i];
            }
        }
    }
}
