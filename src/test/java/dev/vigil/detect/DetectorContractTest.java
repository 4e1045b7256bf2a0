package dev.vigil.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.testdata.GaussianStream;
import dev.vigil.testing.ParallelSafe;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every model promises, checked on each of them. */
@ParallelSafe
class DetectorContractTest {

    private static Detector create(ModelType type, int dimensions, long seed) {
        return PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(),
                Map.of("seed", Long.toString(seed)), List.of(), Map.of()).newPipeline(dimensions).model();
    }

    private static double[] scoreLearnAll(Detector detector, double[][] points) {
        double[] scores = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            scores[i] = detector.scoreLearn(points[i]);
        }
        return scores;
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void scoreLearn_anyStream_scoresStayInUnitInterval(ModelType type) {
        double[][] points = new GaussianStream(4, 3, 1).next(3000);
        points[2500] = new double[] {1e9, -1e9, 1e9, 0};
        for (double s : scoreLearnAll(create(type, 4, 7), points)) {
            assertTrue(s >= 0 && s <= 1, type + " scored " + s);
        }
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void scoreLearn_sameSeedAndStream_sameScores(ModelType type) {
        double[][] points = new GaussianStream(5, 2, 3).next(2500);
        assertArrayEquals(scoreLearnAll(create(type, 5, 11), points), scoreLearnAll(create(type, 5, 11), points));
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void scoreLearn_equalsScoreThenLearn(ModelType type) {
        double[][] points = new GaussianStream(3, 2, 5).next(1500);
        Detector prequential = create(type, 3, 2);
        Detector stepwise = create(type, 3, 2);
        for (double[] x : points) {
            double expected = stepwise.score(x);
            stepwise.learn(x);
            assertEquals(expected, prequential.scoreLearn(x), 1e-12, type.configName());
        }
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void score_farOutlierAfterTraining_isAnomalyAndAboveOrdinaryPoints(ModelType type) {
        GaussianStream stream = new GaussianStream(4, 2, 9);
        Detector detector = create(type, 4, 1);
        scoreLearnAll(detector, stream.next(3000));
        double outlier = detector.score(stream.outlier(20));
        double ordinary = Arrays.stream(stream.next(200)).mapToDouble(detector::score).average().orElseThrow();
        assertTrue(outlier >= Thresholds.DEFAULT.anomaly(), type + ": outlier scored " + outlier);
        assertTrue(outlier > ordinary + 0.2, type + ": outlier " + outlier + " vs ordinary " + ordinary);
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void score_changeAfterRunOfIdenticalPoints_isAnomaly(ModelType type) {
        Detector detector = create(type, 3, 1);
        double[] stuck = {1.5, -2.0, 7.0};
        for (int i = 0; i < 3000; i++) {
            detector.scoreLearn(stuck);
        }
        double same = detector.score(stuck);
        double changed = detector.score(new double[] {1.5, -2.0, 9.0});
        assertTrue(changed >= Thresholds.DEFAULT.anomaly(), type + ": change after a flat line scored " + changed);
        assertTrue(changed > same, type + ": changed " + changed + " vs same " + same);
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void score_pointLeavingAConstantFeature_isAnomaly(ModelType type) {
        GaussianStream stream = new GaussianStream(3, 1, 4);
        Detector detector = create(type, 4, 1);
        for (int i = 0; i < 3000; i++) {
            double[] x = Arrays.copyOf(stream.next(), 4);
            detector.scoreLearn(x);
        }
        double[] ordinary = Arrays.copyOf(stream.next(), 4);
        double[] leaving = ordinary.clone();
        leaving[3] = 6.0;
        double score = detector.score(leaving);
        assertTrue(score >= Thresholds.DEFAULT.anomaly(), type + ": constant feature 0 -> 6 scored " + score);
        assertTrue(score > detector.score(ordinary), type.configName());
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void learn_nanOrInfinity_isRefusedBeforeReachingState(ModelType type) {
        double[][] points = new GaussianStream(3, 2, 8).next(600);
        Detector clean = create(type, 3, 5);
        Detector poked = create(type, 3, 5);
        for (int i = 0; i < points.length; i++) {
            if (i == 300) {
                InvalidPointException nan = assertThrows(InvalidPointException.class,
                        () -> poked.scoreLearn(new double[] {0, Double.NaN, 0}));
                assertEquals(1, nan.feature());
                assertTrue(nan.getMessage().contains("feature 1"), nan.getMessage());
                assertThrows(InvalidPointException.class, () -> poked.learn(new double[] {Double.NEGATIVE_INFINITY, 0, 0}));
                assertThrows(InvalidPointException.class, () -> poked.score(new double[] {0, 0, Double.POSITIVE_INFINITY}));
                assertThrows(InvalidPointException.class, () -> poked.learn(new double[] {0, 0}));
            }
            assertEquals(clean.scoreLearn(points[i]), poked.scoreLearn(points[i]), 0.0, type.configName());
        }
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void scoreLearn_oneFeature_works(ModelType type) {
        Detector detector = create(type, 1, 3);
        Rng rng = new Rng(1);
        for (int i = 0; i < 3000; i++) {
            detector.scoreLearn(new double[] {rng.nextGaussian()});
        }
        assertTrue(detector.score(new double[] {25}) >= Thresholds.DEFAULT.anomaly(), type.configName());
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void scoreLearn_thousandFeatures_works(ModelType type) {
        GaussianStream stream = new GaussianStream(1000, 2, 6);
        Detector detector = create(type, 1000, 3);
        double last = 0;
        for (int i = 0; i < 300; i++) {
            last = detector.scoreLearn(stream.next());
        }
        assertTrue(last >= 0 && last <= 1);
        assertTrue(detector.score(stream.outlier(50)) > detector.score(stream.next()), type.configName());
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void sizeInBytes_longStream_staysBounded(ModelType type) {
        GaussianStream stream = new GaussianStream(6, 2, 2);
        Detector detector = create(type, 6, 1);
        scoreLearnAll(detector, stream.next(2500));
        long early = detector.sizeInBytes();
        assertTrue(early > 0);
        // Once the window is full, arrays may still grow once as their contents settle (the forest's nodes by half),
        // then no more however long the stream.
        scoreLearnAll(detector, stream.next(10_000));
        long settled = detector.sizeInBytes();
        assertTrue(settled <= early * 3 / 2, type + " grew from " + early + " to " + settled + " bytes");
        scoreLearnAll(detector, stream.next(20_000));
        assertEquals(settled, detector.sizeInBytes(), type + " grew with the stream");
        assertFalse(detector.sizeInBytes() > 10_000_000, type + " reports " + detector.sizeInBytes());
    }
}
