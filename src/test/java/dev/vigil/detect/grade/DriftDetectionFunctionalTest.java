package dev.vigil.detect.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.Points;
import dev.vigil.detect.model.forest.IsolationForest;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.testdata.GaussianStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Where the drift defaults come from: {@link SustainedRise} with its defaults over the scores of every model fed
 * with Gaussian clusters (an outlier every 97 points, so isolated anomalies are part of "stationary"), constant,
 * periodic and discrete-valued series and the README's "Try it" readings, and of the Gaussian stream whose every
 * feature shifts at point {@value #SHIFT_AT}. Also measures how long each model takes to absorb
 * the shift, the figure docs/models.md ("Drift") gives per model.
 */
@Tag("functional")
class DriftDetectionFunctionalTest {
    private static final int DIMENSIONS = 4;
    private static final int SHIFT_AT = 5000;
    private static final int AFTER = 8000;
    private static final int ROLLING = 100;

    /** Scores of {@code n} points; from {@code shiftAt} on every feature is moved by {@code shift} (cluster sigmas). */
    static double[] scores(String model, long seed, int n, int shiftAt, double shift) {
        Pipeline pipeline = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), model,
                Map.of("seed", Long.toString(seed)), List.of(), Map.of()).newPipeline(DIMENSIONS);
        GaussianStream stream = new GaussianStream(DIMENSIONS, 3, seed);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            double[] x = i % 97 == 50 ? stream.outlier(6) : stream.next();
            if (i >= shiftAt) {
                for (int f = 0; f < DIMENSIONS; f++) {
                    x[f] += shift;
                }
            }
            scores[i] = pipeline.scoreLearn(x);
        }
        return scores;
    }

    /** Times the default drift test fires over {@code scores} (from {@code warmup} on, as the service feeds it). */
    static int alarms(double[] scores, int warmup) {
        SustainedRise drift = new SustainedRise(SustainedRise.DEFAULT_LIKELIHOOD, SustainedRise.DEFAULT_POINTS);
        int alarms = 0;
        for (int i = warmup; i < scores.length; i++) {
            if (drift.add(scores[i])) {
                alarms++;
            }
        }
        return alarms;
    }

    /** Points after the shift until the default test first fires; -1 if never. */
    static int delay(double[] scores, int warmup) {
        SustainedRise drift = new SustainedRise(SustainedRise.DEFAULT_LIKELIHOOD, SustainedRise.DEFAULT_POINTS);
        for (int i = warmup; i < scores.length; i++) {
            if (drift.add(scores[i]) && i >= SHIFT_AT) {
                return i - SHIFT_AT;
            }
        }
        return -1;
    }

    /** The scores of a one-feature series through the model with its own defaults and recommended transforms. */
    static double[] scores(ModelType type, double[] series) {
        Pipeline pipeline = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(), Map.of(),
                type.recommendedPreprocessing(), Map.of()).newPipeline(1);
        double[] scores = new double[series.length];
        for (int i = 0; i < series.length; i++) {
            scores[i] = pipeline.scoreLearn(new double[] {series[i]});
        }
        return scores;
    }

    /** The stationary cases of a metric stream: none of them is drift, for any model. */
    static Map<String, double[]> stationarySeries() {
        int n = 20_000;
        java.util.Random random = new java.util.Random(11);
        double[] constant = new double[n];
        double[] sine = new double[n];
        double[] noisySine = new double[n];
        double[] discrete = new double[n];
        double[] tryIt = new double[n];
        for (int i = 0; i < n; i++) {
            constant[i] = 42;
            sine[i] = 10 + 3 * Math.sin(2 * Math.PI * i / 288);
            noisySine[i] = sine[i] + 0.5 * random.nextGaussian();
            discrete[i] = random.nextInt(4);
            // The README's "Try it" temperature: 20 + RANDOM % 3, then "." and RANDOM % 10.
            tryIt[i] = 20 + random.nextInt(3) + random.nextInt(10) / 10.0;
        }
        return Map.of("constant", constant, "noiseless sine", sine, "noisy sine", noisySine,
                "discrete 0..3", discrete, "Try it temperature", tryIt);
    }

    /**
     * Asserted for the models whose scores are smooth in their input (the forests and zscore); knn on
     * discrete-valued readings and adaptive_svm on periodic ones still raise a few, printed and documented.
     */
    @Test
    void defaults_stationaryCases_raiseNoFalseAlarm() {
        long points = 0;
        int alarms = 0;
        int asserted = 0;
        for (ModelType type : ModelType.values()) {
            boolean smooth = type != ModelType.KNN && type != ModelType.ADAPTIVE_SVM;
            double[] gaussian = scores(type.configName(), 1, 100_000, Integer.MAX_VALUE, 0);
            int a = alarms(gaussian, type.warmup());
            System.out.printf("drift defaults, %s, 100,000 stationary Gaussian points: %d false alarms%n",
                    type.configName(), a);
            alarms += a;
            asserted += smooth ? a : 0;
            points += gaussian.length;
            for (Map.Entry<String, double[]> e : stationarySeries().entrySet()) {
                int b = alarms(scores(type, e.getValue()), type.warmup());
                System.out.printf("drift defaults, %s, 20,000 points of %s: %d false alarms%n", type.configName(),
                        e.getKey(), b);
                alarms += b;
                asserted += smooth ? b : 0;
                points += e.getValue().length;
            }
        }
        System.out.printf("drift defaults: %d false alarms in %,d stationary points (%.2f per 100,000)%n", alarms,
                points, alarms * 1e5 / points);
        assertEquals(0, asserted, "false alarms of the forests and zscore on stationary streams");
    }

    @Test
    void defaults_shiftOfTheNormal_detectedWithinAFewDozenPoints() {
        for (double shift : new double[] {3, 1.5}) {
            int[] delays = new int[3];
            for (int seed = 1; seed <= 3; seed++) {
                double[] scores = scores("isolation_forest", seed, SHIFT_AT + AFTER, SHIFT_AT, shift);
                delays[seed - 1] = delay(scores, ModelType.ISOLATION_FOREST.warmup());
            }
            System.out.printf("drift defaults, isolation_forest, shift of %.1f sigma: delays %s points%n", shift,
                    java.util.Arrays.toString(delays));
            if (shift >= 3) {
                for (int d : delays) {
                    assertTrue(d >= 0 && d <= 60, "delay " + d + " after a shift of " + shift);
                }
            }
        }
    }

    /**
     * Points after a 3-sigma shift until the model's scores are back in the normal range: the rolling mean of
     * {@value #ROLLING} scores at or below its highest value over the 2,000 points before the shift.
     */
    static int absorbed(double[] scores) {
        double normal = 0;
        double rolling = 0;
        for (int i = 0; i < scores.length; i++) {
            rolling += scores[i] - (i >= ROLLING ? scores[i - ROLLING] : 0);
            if (i >= SHIFT_AT - 2000 && i < SHIFT_AT) {
                normal = Math.max(normal, rolling / ROLLING);
            } else if (i >= SHIFT_AT + ROLLING && rolling / ROLLING <= normal) {
                return i - SHIFT_AT;
            }
        }
        return -1;
    }

    @Test
    void adaptation_afterAShift_scoresReturnToNormalAfterAboutOneWindow() {
        for (ModelType type : ModelType.values()) {
            int absorbed = absorbed(scores(type.configName(), 1, SHIFT_AT + AFTER, SHIFT_AT, 3));
            System.out.printf("adaptation, %s defaults, shift of 3 sigma: scores back to normal after %s points%n",
                    type.configName(), absorbed < 0 ? "more than " + AFTER : absorbed);
            if (type == ModelType.ISOLATION_FOREST) {
                // The shifted points must fill most of the window and the trees be rebuilt from it.
                assertTrue(absorbed > IsolationForest.DEFAULT_WINDOW_SIZE / 2
                        && absorbed <= IsolationForest.DEFAULT_WINDOW_SIZE * 5 / 4,
                        "isolation_forest absorbed the shift after " + absorbed + " points");
            }
        }
    }
}
