package dev.vigil.camel.pipeline;

import dev.vigil.service.point.DataPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch's points split by key into shares, one per scoring thread, each key wholly in one share and in its order;
 * and what the shares give back, put back in the points' order. A share is found from its key alone, with the same
 * count of shares it was made with, so the shares keep their places, empty ones too.
 */
final class KeyShares {
    /** Below this many points a batch stays whole: a split costs more than it saves. */
    static final int MIN_SHARED_BATCH = 32;

    private KeyShares() {
    }

    /**
     * {@code count} shares of {@code points} (some may be empty); or the points as the one share when the batch is
     * small or all its keys fall in one share.
     */
    static List<List<DataPoint>> split(List<DataPoint> points, int count) {
        if (points.size() < MIN_SHARED_BATCH || count < 2) {
            return List.of(points);
        }
        List<List<DataPoint>> shares = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            shares.add(new ArrayList<>(points.size() / count + 16));
        }
        for (DataPoint p : points) {
            shares.get(shareOf(p, count)).add(p);
        }
        return shares.stream().filter(share -> !share.isEmpty()).count() == 1 ? List.of(points) : shares;
    }

    /** The shares' outputs, one per point of each share in its order, as one list in the order of {@code points}. */
    static <T> List<T> merge(List<DataPoint> points, List<List<T>> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<T> merged = new ArrayList<>(points.size());
        int[] next = new int[parts.size()];
        for (DataPoint p : points) {
            int share = shareOf(p, parts.size());
            merged.add(parts.get(share).get(next[share]++));
        }
        return merged;
    }

    private static int shareOf(DataPoint p, int count) {
        return Math.floorMod(p.key().hashCode(), count);
    }
}
