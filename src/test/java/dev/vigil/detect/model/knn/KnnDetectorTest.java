package dev.vigil.detect.model.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.detect.Precision;
import dev.vigil.detect.model.RelativeScore;
import dev.vigil.testdata.GaussianStream;
import dev.vigil.testing.ParallelSafe;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The detector's blocked neighbour search with its early exits against the plainest computation: every distance
 * in full, sorted, the k smallest averaged. Bit-for-bit equality with the earlier search is pinned by
 * {@code ScoreFingerprintTest}; this checks the search itself finds the k nearest points, for windows smaller
 * than a block, not a multiple of it, and points long enough for the partial sums to stop early.
 */
@ParallelSafe
class KnnDetectorTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(1, 10, 1000, Precision.FLOAT32),
                Arguments.of(1, 3, 150, Precision.FLOAT64),
                Arguments.of(8, 10, 1000, Precision.FLOAT32),
                Arguments.of(8, 10, 1000, Precision.FLOAT64),
                Arguments.of(8, 1, 50, Precision.FLOAT32),
                Arguments.of(20, 5, 150, Precision.FLOAT64),
                Arguments.of(24, 10, 300, Precision.FLOAT32),
                Arguments.of(24, 64, 200, Precision.FLOAT64));
    }

    @ParameterizedTest(name = "d={0} k={1} window={2} {3}")
    @MethodSource("cases")
    void scoreAndScoreLearn_seededStream_equalBruteForceReference(int dimensions, int k, int window,
            Precision precision) {
        KnnDetector detector = KnnDetector.builder().k(k).windowSize(window).precision(precision).build(dimensions);
        Reference reference = new Reference(k, window, precision);
        GaussianStream stream = new GaussianStream(dimensions, 3, 7);
        double[] last = stream.next();
        for (int i = 0; i < 3 * window + 100; i++) {
            // Outliers, and runs of one repeated point (ties between equal distances).
            double[] x = i % 53 == 20 ? stream.outlier(4) : i % 41 < 6 ? last : stream.next();
            last = x;
            double[] probe = stream.next();
            assertEquals(reference.score(probe), detector.score(probe), 1e-12, "score() at point " + i);
            assertEquals(reference.scoreLearn(x), detector.scoreLearn(x), 1e-12, "scoreLearn() at point " + i);
        }
    }

    /** The k nearest of the last {@code window} points by sorting every distance; scores as the detector maps them. */
    private static final class Reference {
        private final int k;
        private final int window;
        private final boolean single;
        private final Deque<double[]> points = new ArrayDeque<>();
        private final RelativeScore relative;

        Reference(int k, int window, Precision precision) {
            this.k = k;
            this.window = window;
            this.single = precision == Precision.FLOAT32;
            this.relative = new RelativeScore(window);
        }

        double score(double[] x) {
            return points.isEmpty() ? 0.0 : relative.map(meanNearestDistance(x));
        }

        double scoreLearn(double[] x) {
            double score = 0.0;
            if (!points.isEmpty()) {
                double raw = meanNearestDistance(x);
                score = relative.map(raw);
                relative.observe(raw);
            }
            if (points.size() == window) {
                points.removeFirst();
            }
            points.addLast(x.clone());
            return score;
        }

        private double meanNearestDistance(double[] x) {
            double[] distances = points.stream().mapToDouble(p -> squaredDistance(x, p)).sorted().toArray();
            int want = Math.min(k, distances.length);
            return Arrays.stream(distances, 0, want).map(Math::sqrt).sum() / want;
        }

        /** Summed in the window's precision, as the detector compares points. */
        private double squaredDistance(double[] x, double[] p) {
            if (single) {
                float sum = 0;
                for (int f = 0; f < x.length; f++) {
                    float diff = (float) x[f] - (float) p[f];
                    sum += diff * diff;
                }
                return sum;
            }
            double sum = 0;
            for (int f = 0; f < x.length; f++) {
                double diff = x[f] - p[f];
                sum += diff * diff;
            }
            return sum;
        }
    }
}
