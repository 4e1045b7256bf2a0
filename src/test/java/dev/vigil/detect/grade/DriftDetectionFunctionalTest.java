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
 * Where the drift defaults come from: {@link PageHinkley} with its defaults over the scores of a model fed with
 * Gaussian clusters (an outlier every 97 points, so isolated anomalies are part of "stationary"), and of the same
 * stream whose every feature shifts at point {@value #SHIFT_AT}. Also measures how long each model takes to absorb
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

    /** Times the defaults fire over {@code scores}. */
    static int alarms(double[] scores, int from, int to) {
        return alarms(PageHinkley.builder().build(), scores, from, to);
    }

    static int alarms(PageHinkley drift, double[] scores, int from, int to) {
        int alarms = 0;
        for (int i = 0; i < to; i++) {
            if (drift.add(scores[i]) && i >= from) {
                alarms++;
            }
        }
        return alarms;
    }

    /** Points after the shift until the defaults first fire; -1 if never. */
    static int delay(double[] scores) {
        PageHinkley drift = PageHinkley.builder().build();
        for (int i = 0; i < scores.length; i++) {
            if (drift.add(scores[i]) && i >= SHIFT_AT) {
                return i - SHIFT_AT;
            }
        }
        return -1;
    }

    @Test
    void defaults_stationaryStream_raiseNoFalseAlarm() {
        for (String model : List.of("isolation_forest", "knn", "zscore")) {
            double[] scores = scores(model, 1, 100_000, Integer.MAX_VALUE, 0);
            int alarms = alarms(scores, 0, 100_000);
            System.out.printf("drift defaults, %s, 100,000 stationary points: %d false alarms (threshold 3: %d, 4: %d)%n",
                    model, alarms, alarms(PageHinkley.builder().threshold(3).build(), scores, 0, 100_000),
                    alarms(PageHinkley.builder().threshold(4).build(), scores, 0, 100_000));
            if (model.equals("isolation_forest")) {
                assertEquals(0, alarms, "false alarms of the default model");
            }
        }
    }

    @Test
    void defaults_shiftOfTheNormal_detectedWithinAFewDozenPoints() {
        for (double shift : new double[] {3, 1.5}) {
            int[] delays = new int[3];
            for (int seed = 1; seed <= 3; seed++) {
                double[] scores = scores("isolation_forest", seed, SHIFT_AT + AFTER, SHIFT_AT, shift);
                assertEquals(0, alarms(scores, 0, SHIFT_AT), "alarm before the shift, seed " + seed);
                delays[seed - 1] = delay(scores);
            }
            System.out.printf("drift defaults, isolation_forest, shift of %.1f sigma: delays %s points%n", shift,
                    java.util.Arrays.toString(delays));
            for (int d : delays) {
                assertTrue(d >= 0 && d <= (shift >= 3 ? 30 : 80), "delay " + d + " after a shift of " + shift);
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
