package dev.vigil.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.detect.model.forest.IsolationForest;
import dev.vigil.detect.model.knn.KnnDetector;
import dev.vigil.detect.model.svm.AdaptiveOneClassSvm;
import dev.vigil.testdata.GaussianStream;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scores pinned bit for bit: a hash of every score of a seeded stream, per model and setting, captured from the
 * code as it was before the windows and tree arrays grew on demand (a change of storage only). Any change of a
 * score, however small, changes the hash; a change that is meant to change scores must update these values and
 * say why.
 */
class ScoreFingerprintTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // Defaults, window wrapped twice.
                Arguments.of("isolation_forest defaults, float32", 4, 5000,
                        forest(b -> b, Precision.FLOAT32), 0xd2fa0a75c0234d1eL),
                Arguments.of("isolation_forest defaults, float64", 32, 3000,
                        forest(b -> b, Precision.FLOAT64), 0xb827494891b90c5fL),
                // Leaves of one point and a sample of the whole window: the deepest trees, the most nodes.
                Arguments.of("isolation_forest deep trees", 3, 1500,
                        forest(b -> b.numTrees(10).windowSize(300).sampleSize(300).maxLeafSamples(1),
                                Precision.FLOAT64), 0xf5db0e2f872cbd43L),
                Arguments.of("isolation_forest small window", 5, 1000,
                        forest(b -> b.numTrees(7).windowSize(50).sampleSize(32).seed(5), Precision.FLOAT32),
                        0xcd4df9a56debe599L),
                // One feature: scored from the trees' summed path table, captured when the table came in.
                Arguments.of("isolation_forest one feature", 1, 5000, forest(b -> b, Precision.FLOAT32), 0x234225c7422168fdL),
                Arguments.of("knn defaults, float32", 4, 2500,
                        (IntFunction<Detector>) d -> KnnDetector.builder().precision(Precision.FLOAT32).build(d),
                        0x5d6b5ce336596c6aL),
                Arguments.of("knn float64", 8, 1500,
                        (IntFunction<Detector>) d -> KnnDetector.builder().k(3).windowSize(300)
                                .precision(Precision.FLOAT64).build(d), 0xcbd94d15c1f1caf8L),
                // Points long enough for the neighbour search's partial sums to stop early, captured before the
                // search worked in blocks of slots.
                Arguments.of("knn 24 features, float32", 24, 2500,
                        (IntFunction<Detector>) d -> KnnDetector.builder().precision(Precision.FLOAT32).build(d),
                        0xf324007833545e2eL),
                Arguments.of("knn 20 features, float64", 20, 1500,
                        (IntFunction<Detector>) d -> KnnDetector.builder().k(5).windowSize(100)
                                .precision(Precision.FLOAT64).build(d), 0x004035ed5a6bfc76L),
                Arguments.of("adaptive_svm defaults, float32", 4, 1000,
                        (IntFunction<Detector>) d -> AdaptiveOneClassSvm.builder().precision(Precision.FLOAT32)
                                .build(d), 0x4010e5993880adc5L),
                Arguments.of("adaptive_svm float64", 8, 800,
                        (IntFunction<Detector>) d -> AdaptiveOneClassSvm.builder().bufferSize(150).svBudget(40)
                                .precision(Precision.FLOAT64).build(d), 0x3674268c849ceb8eL));
    }

    private static IntFunction<Detector> forest(java.util.function.UnaryOperator<IsolationForest.Builder> settings,
            Precision precision) {
        return d -> settings.apply(IsolationForest.builder().precision(precision)).build(d);
    }

    /**
     * Gaussian clusters, a far outlier every 97 points and a stuck sensor (60 copies of one point) from point 700:
     * ordinary splits, points outside every sample box, and guards.
     */
    private static double[][] stream(int dimensions, int n) {
        GaussianStream stream = new GaussianStream(dimensions, 3, 11);
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            points[i] = i % 97 == 50 ? stream.outlier(6) : i > 700 && i < 760 ? points[700].clone() : stream.next();
        }
        return points;
    }

    /** FNV-1a over the scores' bits: any difference in any score changes it. */
    static long hash(double[] scores) {
        long h = 0xcbf29ce484222325L;
        for (double s : scores) {
            h = (h ^ Double.doubleToRawLongBits(s)) * 0x100000001b3L;
        }
        return h;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scoreLearn_seededStream_scoresAsBefore(String name, int dimensions, int n, IntFunction<Detector> model,
            long expected) {
        Detector detector = model.apply(dimensions);
        double[][] points = stream(dimensions, n);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = detector.scoreLearn(points[i]);
        }
        System.out.printf("%s: 0x%016xL (scores %s, %s, ..., %s)%n", name, hash(scores), scores[10], scores[n / 2],
                scores[n - 1]);
        assertEquals(String.format("0x%016x", expected), String.format("0x%016x", hash(scores)), name);
    }
}
