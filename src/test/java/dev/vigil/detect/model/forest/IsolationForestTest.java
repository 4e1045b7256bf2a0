package dev.vigil.detect.model.forest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.Precision;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.testdata.GaussianStream;
import org.junit.jupiter.api.Test;

class IsolationForestTest {

    @Test
    void averagePathLength_knownValues() {
        assertEquals(0.0, IsolationMath.averagePathLength(1));
        assertEquals(1.0, IsolationMath.averagePathLength(2));
        // 2 H(2) - 2 * 2 / 3 = 3 - 4/3
        assertEquals(3.0 - 4.0 / 3.0, IsolationMath.averagePathLength(3), 1e-12);
        // Liu et al.'s normaliser for 256 samples, with the harmonic number summed exactly.
        double h255 = 0;
        for (int k = 1; k <= 255; k++) {
            h255 += 1.0 / k;
        }
        assertEquals(2 * h255 - 2.0 * 255 / 256, IsolationMath.averagePathLength(256), 1e-9);
    }

    @Test
    void maxNodes_boundsEveryTreeBuilt() {
        // The builder writes past its slot if the bound is wrong; a long mixed stream exercises many shapes.
        for (int leaf : new int[] {1, 3, 8, 32}) {
            IsolationForest forest = IsolationForest.builder().maxLeafSamples(leaf).numTrees(10).build(3);
            GaussianStream stream = new GaussianStream(3, 5, leaf);
            for (int i = 0; i < 5000; i++) {
                double[] x = stream.next();
                if (i % 3 == 0) {
                    x[0] = Math.rint(x[0]);
                }
                forest.scoreLearn(x);
            }
        }
    }

    @Test
    void score_beforeTwoPoints_isZero() {
        IsolationForest forest = IsolationForest.builder().build(2);
        assertEquals(0.0, forest.score(new double[] {1, 1}));
        forest.learn(new double[] {1, 1});
        assertEquals(0.0, forest.score(new double[] {5, 5}));
        forest.learn(new double[] {2, 2});
        assertTrue(forest.score(new double[] {5, 5}) > 0);
    }

    @Test
    void score_ordinaryPointsOfAGaussian_averageNearOneHalf() {
        GaussianStream stream = new GaussianStream(5, 1, 3);
        IsolationForest forest = IsolationForest.builder().build(5);
        for (int i = 0; i < 4096; i++) {
            forest.learn(stream.next());
        }
        double mean = 0;
        for (int i = 0; i < 1000; i++) {
            mean += forest.score(stream.next()) / 1000;
        }
        assertTrue(mean > 0.35 && mean < 0.55, "mean score of ordinary points " + mean);
    }

    @Test
    void score_keepsGrowingWithDistanceBeyondTheData() {
        GaussianStream stream = new GaussianStream(4, 1, 5);
        IsolationForest forest = IsolationForest.builder().build(4);
        for (int i = 0; i < 4096; i++) {
            forest.learn(stream.next());
        }
        double near = forest.score(stream.outlier(2));
        double far = forest.score(stream.outlier(20));
        double farther = forest.score(stream.outlier(200));
        assertTrue(near < far && far < farther, near + " < " + far + " < " + farther);
        assertTrue(farther > Thresholds.DEFAULT.critical(), "far beyond the data scored " + farther);
    }

    /** Memory follows what the forest holds: little for a key that has seen 5 points, all of it once full. */
    @Test
    void score_valueBeyondFloatRange_inAFloat32Window_isTheHighest() {
        // Rounded to float, 1e39 is infinite; its gap beyond the sample once made the score NaN.
        for (int dimensions : new int[] {1, 2}) {
            IsolationForest forest = IsolationForest.builder().precision(Precision.FLOAT32).build(dimensions);
            GaussianStream stream = new GaussianStream(dimensions, 1, 5);
            for (int i = 0; i < 3000; i++) {
                forest.scoreLearn(stream.next());
            }
            for (double sign : new double[] {1, -1}) {
                double[] x = new double[dimensions];
                x[0] = sign * 1e30;
                double far = forest.score(x);
                x[0] = sign * 1e39;
                double beyond = forest.score(x);
                assertTrue(beyond >= far && beyond <= 1, dimensions + " features, " + x[0] + ": " + beyond);
            }
        }
    }

    @Test
    void attribute_oneFeature_allOfTheScoreOnceTheTreesSplit() {
        IsolationForest forest = IsolationForest.builder().build(1);
        double[] out = new double[1];
        for (int i = 0; i < 5; i++) {
            forest.learn(new double[] {i});
        }
        // Five points: every tree is a single leaf, so nothing stands out inside their range; beyond it, the gap.
        forest.attribute(new double[] {2}, out);
        assertEquals(0.0, out[0]);
        forest.attribute(new double[] {40}, out);
        assertTrue(out[0] > 0, "beyond the sample: " + out[0]);
        for (int i = 5; i < 50; i++) {
            forest.learn(new double[] {i % 10});
        }
        for (double x : new double[] {2, 40, -3}) {
            forest.attribute(new double[] {x}, out);
            assertEquals(1.0, out[0], "at " + x);
        }
    }

    @Test
    void sizeInBytes_asMeasuredAfterEveryPoint() {
        // Kept between the points that can grow the arrays; it must never be stale.
        for (int dimensions : new int[] {1, 3}) {
            IsolationForest forest = IsolationForest.builder().numTrees(20).windowSize(700).build(dimensions);
            GaussianStream stream = new GaussianStream(dimensions, 2, 9);
            for (int i = 0; i < 1500; i++) {
                forest.scoreLearn(stream.next());
                assertEquals(forest.measureSize(), forest.sizeInBytes(), dimensions + " features, point " + i);
            }
        }
    }

    @Test
    void sizeInBytes_growsWithThePointsLearned() {
        GaussianStream stream = new GaussianStream(8, 3, 2);
        IsolationForest forest = IsolationForest.builder().build(8);
        for (int i = 0; i < 5; i++) {
            forest.learn(stream.next());
        }
        long afterFive = forest.sizeInBytes();
        for (int i = 5; i < 4096; i++) {
            forest.learn(stream.next());
        }
        long full = forest.sizeInBytes();
        long window = 2048L * 8 * 4; // float32
        long worstCaseNodes = 100L * IsolationTreeBuilder.maxNodes(256, 8) * 16;
        assertTrue(afterFive < 16 * 1024, "after 5 points: " + afterFive);
        assertTrue(full > window + 100 * 40 * 16, "a full window and 100 trees of 40 nodes or more: " + full);
        assertTrue(full < window + worstCaseNodes / 3, "far below the worst case of the trees: " + full);
    }

    /**
     * The worst case still bounds it: leaves of one point from a sample of the whole window give the largest
     * trees, and the estimate stays within what the old up-front allocation took (window, every tree at its
     * worst, boxes and guards, and small arrays).
     */
    @Test
    void sizeInBytes_largestTrees_withinTheWorstCaseOfTheSettings() {
        int trees = 10;
        int window = 300;
        int d = 3;
        IsolationForest forest = IsolationForest.builder().numTrees(trees).windowSize(window).sampleSize(window)
                .maxLeafSamples(1).precision(Precision.FLOAT64).build(d);
        long worstCase = 1024 + 8L * window * d + 4L * window + 24L * trees * IsolationTreeBuilder.maxNodes(window, 1)
                + 28L * trees * d + 40L * trees + 12L * window + 8L * d;
        GaussianStream stream = new GaussianStream(d, 3, 4);
        long most = 0;
        for (int i = 0; i < 20 * window; i++) {
            forest.learn(stream.next());
            most = Math.max(most, forest.sizeInBytes());
        }
        assertTrue(most <= worstCase, most + " > " + worstCase);
        assertTrue(most > worstCase / 4, "trees of single points are large: " + most + " of " + worstCase);
    }

    /**
     * A young forest's trees grow in number and size at nearly every rebuild: its node array grows by half at least
     * each time (or to the bound), so it is copied a few times, not at nearly every compaction.
     */
    @Test
    void learn_youngForest_growsItsNodesByHalfAtLeast() {
        IsolationForest forest = IsolationForest.builder().build(1);
        GaussianStream stream = new GaussianStream(1, 4, 3);
        int most = forest.numTrees * forest.nodes.maxNodesPerTree;
        int capacity = forest.nodes.capacity();
        int grown = 0;
        for (int i = 0; i < 1000; i++) {
            forest.learn(stream.next());
            int now = forest.nodes.capacity();
            if (now > capacity) {
                assertTrue(now >= capacity + capacity / 2 || now == most, "grew from " + capacity + " to " + now);
                grown++;
            }
            capacity = now;
        }
        assertTrue(grown > 5, "grown " + grown + " times: the trees did grow");
    }
}
