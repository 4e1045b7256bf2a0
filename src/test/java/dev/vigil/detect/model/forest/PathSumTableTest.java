package dev.vigil.detect.model.forest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.Precision;
import dev.vigil.detect.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one-feature table against the trees it stands for: at every cut of every tree, beside it, beyond the sample
 * boxes and at the window's own values, its sum is the sum of what walking each tree gives (in the table's fixed
 * point), after every rebuild; the forest's path sum from the table is the walked one; and a restored forest, which
 * walks its first points, scores as the live one and then builds the same table.
 */
class PathSumTableTest {

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("gaussian, defaults, float32", IsolationForest.builder(), Precision.FLOAT32,
                        (LongToDoubleFunction) i -> gaussian(i) * 3 + 50),
                Arguments.of("gaussian, small window, float64",
                        IsolationForest.builder().numTrees(7).windowSize(60).sampleSize(32), Precision.FLOAT64,
                        (LongToDoubleFunction) PathSumTableTest::gaussian),
                // Few distinct values: leaves of equal paths side by side, cuts shared by trees, leaves of one point.
                Arguments.of("integers with ties, leaves of one point",
                        IsolationForest.builder().numTrees(20).windowSize(200).maxLeafSamples(1), Precision.FLOAT64,
                        (LongToDoubleFunction) i -> Math.rint(gaussian(i) * 2)),
                // A stuck sensor: samples of one value, guarded trees; then it moves on.
                Arguments.of("stuck, then moving", IsolationForest.builder().numTrees(10).windowSize(100),
                        Precision.FLOAT32, (LongToDoubleFunction) i -> i < 300 ? 7.0 : gaussian(i)),
                // Beyond float range: the float32 window holds infinities (guards at them, cuts next to them).
                Arguments.of("values beyond float range", IsolationForest.builder().numTrees(10).windowSize(50),
                        Precision.FLOAT32, (LongToDoubleFunction) i -> i < 200 ? 1e300
                                : i % 3 == 0 ? -1e300 : i % 3 == 1 ? 1e300 : gaussian(i)),
                Arguments.of("zeros of both signs", IsolationForest.builder().numTrees(10).windowSize(40),
                        Precision.FLOAT64, (LongToDoubleFunction) i -> i % 2 == 0 ? 0.0 : i % 5 == 0 ? -0.0 : 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void sum_equalsTheTreesWalked_afterEveryRebuild(String name, IsolationForest.Builder settings,
            Precision precision, LongToDoubleFunction stream) {
        IsolationForest forest = settings.precision(precision).build(1);
        for (int i = 0; i < 600; i++) {
            forest.learn(new double[] {stream.applyAsDouble(i)});
            if (i < 100 || i % 7 == 0) {
                assertTableIsTheTrees(forest, name + ", after point " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void restoredForest_walksThenBuildsTheLiveTable_sameScoresThroughout(String name, IsolationForest.Builder settings,
            Precision precision, LongToDoubleFunction stream) throws Exception {
        IsolationForest live = settings.precision(precision).build(1);
        for (int i = 0; i < 450; i++) {
            live.learn(new double[] {stream.applyAsDouble(i)});
        }
        IsolationForestStateMapper mapper = new IsolationForestStateMapper();
        IsolationForest restored = settings.precision(precision).build(1);
        mapper.toModel(mapper.toState(live), restored);
        for (int i = 450; i < 600; i++) {
            assertEquals(i - 450 < IsolationForest.POINTS_BEFORE_TABLE, !restored.pathSumsReady, name + ", point " + i);
            double[] x = {stream.applyAsDouble(i)};
            assertEquals(live.scoreLearn(x), restored.scoreLearn(x), name + ", point " + i);
            assertEquals(restored.measureSize(), restored.sizeInBytes(), name + ", size after point " + i);
        }
        assertEquals(live.pathSums.size(), restored.pathSums.size(), name);
        for (double x : probes(live)) {
            assertEquals(live.pathSums.fixedSum(x), restored.pathSums.fixedSum(x), name + " at " + x);
        }
    }

    private static void assertTableIsTheTrees(IsolationForest forest, String where) {
        IsolationNodeStore nodes = forest.nodes;
        double[] path = new double[forest.builtTrees];
        for (double x : probes(forest)) {
            double[] point = {x};
            nodes.walk(point, forest.builtTrees, path);
            long expected = 0;
            for (double p : path) {
                expected += PathSumTable.fixed(p);
            }
            assertEquals(expected, forest.pathSums.fixedSum(x), where + ": at " + x);
            // With the corrections for points outside the trees' sample boxes: the walk's, bit for bit, and the
            // double sum's up to the fixed point.
            assertEquals(forest.walkedFixedPathSum(point), forest.tablePathSum(point), where + ": at " + x);
            double walked = forest.walkedPathSum(point);
            assertEquals(walked, forest.tablePathSum(point), 1e-9 * Math.max(1, Math.abs(walked)), where + ": at " + x);
        }
        assertTrue(forest.pathSums.size() <= 2 * (long) nodes.maxNodesPerTree * forest.builtTrees, where);
    }

    /** Every split of every tree and its neighbours, every guard, every window value, and the ends of the line. */
    private static List<Double> probes(IsolationForest forest) {
        IsolationNodeStore nodes = forest.nodes;
        List<Double> probes = new ArrayList<>(List.of(Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -0.0, 0.0,
                Double.MAX_VALUE, Double.POSITIVE_INFINITY));
        for (int t = 0; t < forest.builtTrees; t++) {
            for (int n = nodes.root[t]; n < nodes.root[t] + nodes.nodeCount[t]; n++) {
                if (!nodes.isLeaf(n)) {
                    addAround(probes, nodes.value(n));
                }
            }
            if (nodes.guardCount[t] != 0) {
                addAround(probes, nodes.guardValue[t]);
            }
            // Beyond the sample's box, near and far.
            addAround(probes, nodes.boxMin[t]);
            addAround(probes, nodes.boxMax[t]);
            probes.add(nodes.boxMin[t] - 1);
            probes.add(nodes.boxMax[t] * 2 + 10);
        }
        for (int slot = 0; slot < forest.window.size(); slot++) {
            probes.add(forest.window.value(slot, 0));
        }
        probes.removeIf(x -> Double.isNaN(x));
        return probes;
    }

    private static void addAround(List<Double> probes, double v) {
        probes.add(Math.nextDown(v));
        probes.add(v);
        probes.add(Math.nextUp(v));
    }

    private static double gaussian(long i) {
        return new Rng(i * 7919 + 1).nextGaussian();
    }
}
