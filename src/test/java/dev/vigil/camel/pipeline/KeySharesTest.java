package dev.vigil.camel.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.point.DataPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A batch split by key over any count of scoring threads, and put back in its order. */
class KeySharesTest {
    private static List<DataPoint> points(int n, int keys, long seed) {
        Random random = new Random(seed);
        List<DataPoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            points.add(new DataPoint("p" + i, "host-" + random.nextInt(keys), null, new String[] {"v"},
                    new double[] {i}));
        }
        return points;
    }

    /** Shares of 3 to 8 threads, with keys few enough that some shares are empty: each key in one share, in order. */
    @Test
    void split_anyThreadCount_eachKeyWhollyInOneShareInOrder() {
        for (int count = 2; count <= 8; count++) {
            for (int keys : new int[] {2, 3, 5, 1000}) {
                List<DataPoint> points = points(500, keys, count * 31L + keys);
                List<List<DataPoint>> shares = KeyShares.split(points, count);
                Map<String, Integer> shareOfKey = new HashMap<>();
                Map<String, Double> lastOfKey = new HashMap<>();
                int total = 0;
                for (int s = 0; s < shares.size(); s++) {
                    for (DataPoint p : shares.get(s)) {
                        Integer before = shareOfKey.putIfAbsent(p.key(), s);
                        assertEquals(s, before == null ? s : before, p.key() + " in one share");
                        Double last = lastOfKey.put(p.key(), p.values()[0]);
                        assertTrue(last == null || last < p.values()[0], p.key() + "'s points in their order");
                    }
                    total += shares.get(s).size();
                }
                assertEquals(points.size(), total);
                assertEquals(count, shares.size());
            }
        }
    }

    /**
     * What the shares give back comes back in the points' order, for any count of threads, empty shares included
     * (dropping them once changed the count a point's share was found with).
     */
    @Test
    void merge_anyThreadCountWithEmptyShares_pointsOrder() {
        for (int count = 2; count <= 8; count++) {
            for (int keys : new int[] {2, 3, 5, 1000}) {
                List<DataPoint> points = points(500, keys, count * 17L + keys);
                List<List<DataPoint>> shares = KeyShares.split(points, count);
                List<List<String>> ids = shares.stream().map(s -> s.stream().map(DataPoint::id).toList()).toList();
                assertEquals(points.stream().map(DataPoint::id).toList(), KeyShares.merge(points, ids),
                        count + " threads, " + keys + " keys");
            }
        }
    }

    @Test
    void split_smallBatchOrOneKey_wholeBatchAsOneShare() {
        List<DataPoint> small = points(KeyShares.MIN_SHARED_BATCH - 1, 10, 1);
        assertSame(small, KeyShares.split(small, 4).get(0));
        List<DataPoint> oneKey = points(200, 1, 2);
        assertEquals(List.of(oneKey), KeyShares.split(oneKey, 4));
    }
}
