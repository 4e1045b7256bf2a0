package dev.vigil.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.pipeline.Attributions;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.detect.transform.IncrementalPca;
import dev.vigil.detect.transform.StandardScaler;
import dev.vigil.testdata.GaussianStream;
import dev.vigil.testing.ParallelSafe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Attributions are shares (non-negative, sum 1), deterministic, and explaining never changes a score. */
@ParallelSafe
class AttributionTest {
    private static final int DIMENSIONS = 5;
    private static final int POINTS = 600;

    @Test
    void normalise_mixedContributions_sharesOfThePositiveOnes() {
        double[] out = new double[4];
        Attributions.normalise(new double[] {3, -1, Double.NaN, 1}, out);
        assertArrayEquals(new double[] {0.75, 0, 0, 0.25}, out, 1e-15);
    }

    @Test
    void normalise_nothingStandsOut_equalShares() {
        double[] out = new double[4];
        Attributions.normalise(new double[] {0, -2, 0, Double.NaN}, out);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, out, 0);
    }

    @Test
    void normalise_infiniteContributions_shareEverything() {
        double[] out = new double[3];
        Attributions.normalise(new double[] {Double.POSITIVE_INFINITY, 5, Double.POSITIVE_INFINITY}, out);
        assertArrayEquals(new double[] {0.5, 0, 0.5}, out, 0);
    }

    @Test
    void normalise_hugeContributions_doNotOverflow() {
        double[] out = new double[2];
        Attributions.normalise(new double[] {Double.MAX_VALUE, Double.MAX_VALUE / 3}, out);
        assertArrayEquals(new double[] {0.75, 0.25}, out, 1e-15);
    }

    static Stream<Arguments> pipelines() {
        List<Arguments> cases = new ArrayList<>();
        for (ModelType type : ModelType.values()) {
            cases.add(Arguments.of(type, List.of()));
            cases.add(Arguments.of(type, List.of("scaler", "pca")));
        }
        return cases.stream();
    }

    private static Pipeline pipeline(ModelType type, List<String> preprocessing) {
        return PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(), Map.of("seed", "3"),
                preprocessing, Map.of("pca", Map.of("n_components", "3", "batch_size", "32"))).newPipeline(DIMENSIONS);
    }

    /** Gaussian clusters with a far outlier every 50 points. */
    private static double[][] stream() {
        GaussianStream stream = new GaussianStream(DIMENSIONS, 2, 19);
        double[][] points = new double[POINTS][];
        for (int i = 0; i < POINTS; i++) {
            points[i] = i % 50 == 49 ? stream.outlier(4) : stream.next();
        }
        return points;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pipelines")
    void scoreLearn_explainingEveryPoint_sameScoresAsWithout(ModelType type, List<String> preprocessing) {
        Pipeline plain = pipeline(type, preprocessing);
        Pipeline explained = pipeline(type, preprocessing);
        double[] attribution = new double[DIMENSIONS];
        for (double[] x : stream()) {
            double expected = plain.scoreLearn(x);
            assertEquals(Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(explained.scoreLearn(x, score -> true, attribution)));
            double sum = 0;
            for (double share : attribution) {
                assertTrue(share >= 0 && share <= 1, "share " + share + " in " + Arrays.toString(attribution));
                sum += share;
            }
            assertEquals(1.0, sum, 1e-9);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pipelines")
    void scoreLearn_sameSeedAndStream_sameAttributions(ModelType type, List<String> preprocessing) {
        Pipeline a = pipeline(type, preprocessing);
        Pipeline b = pipeline(type, preprocessing);
        double[] first = new double[DIMENSIONS];
        double[] second = new double[DIMENSIONS];
        for (double[] x : stream()) {
            a.scoreLearn(x, score -> score >= 0.6, first);
            b.scoreLearn(x, score -> score >= 0.6, second);
            assertArrayEquals(first, second, 0);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pipelines")
    void scoreLearn_scoreRefused_attributionUntouched(ModelType type, List<String> preprocessing) {
        Pipeline pipeline = pipeline(type, preprocessing);
        double[] attribution = new double[DIMENSIONS];
        Arrays.fill(attribution, -1);
        for (double[] x : stream()) {
            pipeline.scoreLearn(x, score -> false, attribution);
        }
        assertArrayEquals(new double[] {-1, -1, -1, -1, -1}, attribution, 0);
    }

    @Test
    void pcaAttributeBack_componentsAlongTheAxes_returnsToTheirFeature() {
        IncrementalPca pca = IncrementalPca.builder().nComponents(2).batchSize(50).build(3);
        Rng rng = new Rng(5);
        for (int i = 0; i < 500; i++) {
            // Feature 1 varies most, then feature 2: the components lie along those axes.
            pca.learnTransform(new double[] {0.1 * rng.nextGaussian(), 10 * rng.nextGaussian(), 3 * rng.nextGaussian()});
        }
        double[] first = pca.attributeBack(new double[] {1, 0});
        double[] second = pca.attributeBack(new double[] {0, 1});
        assertTrue(first[1] > 0.95, Arrays.toString(first));
        assertTrue(second[2] > 0.95, Arrays.toString(second));
        double[] mixed = pca.attributeBack(new double[] {0.3, 0.7});
        assertEquals(1.0, mixed[0] + mixed[1] + mixed[2], 1e-12);
        for (double v : mixed) {
            assertTrue(v >= 0);
        }
    }

    @Test
    void pcaAttributeBack_beforeTheFirstFit_spreadsEvenly() {
        IncrementalPca pca = IncrementalPca.builder().nComponents(2).build(4);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, pca.attributeBack(new double[] {0.4, 0.6}), 1e-15);
    }

    @Test
    void scalerAttributeBack_sameFeatures_unchanged() {
        StandardScaler scaler = new StandardScaler(3);
        scaler.learnTransform(new double[] {1, 200, -3});
        scaler.learnTransform(new double[] {2, 100, 5});
        assertArrayEquals(new double[] {0.2, 0.5, 0.3}, scaler.attributeBack(new double[] {0.2, 0.5, 0.3}), 0);
    }
}
