package dev.vigil.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void sizeInBytes_reflectsWindowAndTrees() {
        long small = IsolationForest.builder().numTrees(10).windowSize(256).build(8).sizeInBytes();
        long large = IsolationForest.builder().build(8).sizeInBytes();
        // Window alone: 2048 * 8 doubles = 128 KiB.
        assertTrue(large > 2048 * 8 * 8, "estimate " + large);
        assertTrue(large > 5 * small);
    }
}
