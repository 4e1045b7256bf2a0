package dev.vigil.detect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.testing.ParallelSafe;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Explanations point at the feature that moved: a seeded stream of 8 independent unit Gaussian features (each
 * around its own mean), with anomalies injected after a warm-up where one feature, chosen at random, is shifted
 * by 6 to 8 standard deviations. For every model, with and without {@code scaler}, that feature must have the
 * largest share of the attribution in at least 95 % of the injected anomalies. Every injected anomaly is
 * explained, whatever its score, so the figure does not depend on the thresholds.
 */
@Tag("functional")
@ParallelSafe
class AttributionFunctionalTest {
    private static final int DIMENSIONS = 8;
    private static final int WARM_UP = 1500;
    private static final int POINTS = 6000;
    private static final double ANOMALY_RATE = 0.03;
    private static final double REQUIRED = 0.95;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (ModelType type : ModelType.values()) {
            cases.add(Arguments.of(type, List.of()));
            cases.add(Arguments.of(type, List.of("scaler")));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void attribution_oneFeatureShifted_ranksItFirst(ModelType type, List<String> preprocessing) {
        Pipeline pipeline = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(),
                Map.of("seed", "7"), preprocessing, Map.of()).newPipeline(DIMENSIONS);
        Rng rng = new Rng(2024);
        double[] means = new double[DIMENSIONS];
        for (int f = 0; f < DIMENSIONS; f++) {
            means[f] = 10 * rng.nextDouble() - 5;
        }
        double[] attribution = new double[DIMENSIONS];
        int injected = 0;
        int rankedFirst = 0;
        double shiftedShare = 0;
        for (int i = 0; i < POINTS; i++) {
            double[] x = new double[DIMENSIONS];
            for (int f = 0; f < DIMENSIONS; f++) {
                x[f] = means[f] + rng.nextGaussian();
            }
            int shifted = i >= WARM_UP && rng.nextDouble() < ANOMALY_RATE ? rng.nextInt(DIMENSIONS) : -1;
            if (shifted >= 0) {
                x[shifted] += (rng.nextDouble() < 0.5 ? -1 : 1) * (6 + 2 * rng.nextDouble());
            }
            boolean explain = shifted >= 0;
            pipeline.scoreLearn(x, score -> explain, attribution);
            if (explain) {
                injected++;
                rankedFirst += largest(attribution) == shifted ? 1 : 0;
                shiftedShare += attribution[shifted];
            }
        }
        double share = (double) rankedFirst / injected;
        System.out.printf(Locale.ROOT, "attribution top-1: %-18s %-8s %d of %d injected anomalies (%.1f %%), "
                + "mean share of the shifted feature %.2f%n", type.configName(),
                preprocessing.isEmpty() ? "none" : String.join(",", preprocessing), rankedFirst, injected,
                100 * share, shiftedShare / injected);
        assertTrue(injected > 100, "too few anomalies injected: " + injected);
        assertTrue(share >= REQUIRED, type.configName() + " " + preprocessing + ": the shifted feature ranked first in "
                + rankedFirst + " of " + injected);
    }

    private static int largest(double[] shares) {
        int best = 0;
        for (int f = 1; f < shares.length; f++) {
            if (shares[f] > shares[best]) {
                best = f;
            }
        }
        return best;
    }
}
