package dev.vigil.detect.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.model.forest.IsolationForest;
import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.testdata.GaussianStream;
import dev.vigil.testing.ParallelSafe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Where the drift defaults come from: {@link SustainedRise} with its defaults, fed as the service feeds it (after
 * the model's warm-up, every score with its point), over every model, without transforms and with its
 * recommended ones: on stationary Gaussian clusters (an outlier every 97 points, so isolated anomalies are part of
 * "stationary"), constant, periodic and discrete-valued series, the README's "Try it" readings and NAB-dev's
 * series without anomalies; and on the Gaussian stream whose every feature shifts at point {@value #SHIFT_AT}.
 * Also measures how long each model takes to absorb the shift, the figure docs/models.md ("Drift") gives per model.
 */
@Tag("functional")
@ParallelSafe
class DriftDetectionFunctionalTest {
    private static final int DIMENSIONS = 4;
    private static final int SHIFT_AT = 5000;
    private static final int AFTER = 8000;
    private static final int ROLLING = 100;
    static final Path NO_ANOMALY = Path.of("..", "shared", "data", "timeseries", "nab-dev", "data",
            "artificialNoAnomaly");

    /** Gaussian clusters, an outlier every 97 points; from {@code shiftAt} every feature moves by {@code shift}. */
    static double[][] gaussian(long seed, int clusters, int n, int shiftAt, double shift) {
        GaussianStream stream = new GaussianStream(DIMENSIONS, clusters, seed);
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] x = i % 97 == 50 ? stream.outlier(6) : stream.next();
            if (i >= shiftAt) {
                for (int f = 0; f < DIMENSIONS; f++) {
                    x[f] += shift;
                }
            }
            points[i] = x;
        }
        return points;
    }

    /** The scores of {@code points} through the model, with its recommended transforms or none, seeded. */
    static double[] scores(ModelType type, boolean transforms, long seed, double[][] points) {
        Pipeline pipeline = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(),
                Map.of("seed", Long.toString(seed)), transforms ? type.recommendedPreprocessing() : List.of(),
                Map.of()).newPipeline(points[0].length);
        double[] scores = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            scores[i] = pipeline.scoreLearn(points[i]);
        }
        return scores;
    }

    /** The points at which the default drift test fires, fed from {@code warmup} on as the service feeds it. */
    static List<Integer> fired(double[][] points, double[] scores, int warmup) {
        SustainedRise drift = new SustainedRise(SustainedRise.DEFAULT_LIKELIHOOD, SustainedRise.DEFAULT_POINTS,
                points[0].length);
        List<Integer> at = new ArrayList<>();
        for (int i = warmup; i < scores.length; i++) {
            if (drift.add(scores[i], points[i])) {
                at.add(i);
            }
        }
        return at;
    }

    /** One-feature series, as columns. */
    private static double[][] column(double[] values) {
        return Arrays.stream(values).mapToObj(v -> new double[] {v}).toArray(double[][]::new);
    }

    /** The stationary cases of a metric stream, none of which is drift. */
    static Map<String, double[][]> stationarySeries() throws IOException {
        int n = 20_000;
        Random random = new Random(11);
        double[] constant = new double[n];
        double[] sine = new double[n];
        double[] noisySine = new double[n];
        double[] discrete = new double[n];
        double[][] tryIt = new double[n][];
        for (int i = 0; i < n; i++) {
            constant[i] = 42;
            sine[i] = 10 + 3 * Math.sin(2 * Math.PI * i / 288);
            noisySine[i] = sine[i] + 0.5 * random.nextGaussian();
            discrete[i] = random.nextInt(4);
            // The README's "Try it" readings: $((20 + RANDOM % 3)).$((RANDOM % 10)), $((1000 + RANDOM % 9)).
            tryIt[i] = new double[] {20 + random.nextInt(3) + random.nextInt(10) / 10.0, 1000 + random.nextInt(9)};
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("Gaussian clusters", gaussian(1, 3, 100_000, Integer.MAX_VALUE, 0));
        series.put("constant", column(constant));
        series.put("noiseless sine", column(sine));
        series.put("noisy sine", column(noisySine));
        series.put("discrete 0..3", column(discrete));
        series.put("Try it readings", tryIt);
        if (Files.isDirectory(NO_ANOMALY)) {
            try (Stream<Path> files = Files.list(NO_ANOMALY)) {
                for (Path f : files.sorted().toList()) {
                    series.put("NAB " + f.getFileName(), column(Files.readAllLines(f).stream().skip(1)
                            .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(',') + 1))).toArray()));
                }
            }
        }
        return series;
    }

    @Test
    void defaults_stationaryCases_noFalseAlarmOfAnyModel() throws IOException {
        Map<String, double[][]> series = stationarySeries();
        long points = 0;
        int total = 0;
        List<String> alarms = new ArrayList<>();
        for (ModelType type : ModelType.values()) {
            for (boolean transforms : new boolean[] {false, true}) {
                if (transforms && type.recommendedPreprocessing().isEmpty()) {
                    continue;
                }
                String model = transforms ? String.join(",", type.recommendedPreprocessing()) + " | "
                        + type.configName() : type.configName();
                for (Map.Entry<String, double[][]> e : series.entrySet()) {
                    double[][] values = e.getValue();
                    List<Integer> at = fired(values, scores(type, transforms, 1, values), type.warmup());
                    System.out.printf("drift defaults, %s, %,d points of %s: %d false alarms%n", model, values.length,
                            e.getKey(), at.size());
                    total += at.size();
                    if (!at.isEmpty()) {
                        alarms.add(model + " on " + e.getKey() + " at " + at);
                    }
                    points += values.length;
                }
            }
        }
        System.out.printf("drift defaults: %d false alarms in %,d stationary points (%.2f per 100,000)%n", total,
                points, total * 1e5 / points);
        assertEquals(List.of(), alarms, "false alarms on stationary streams");
    }

    /** A shift of 3 sigma of every feature, on one cluster and on three, seeds 1 to 3: found within tens of points. */
    @Test
    void defaults_shiftOfTheNormal_detectedWithinAFewDozenPoints() {
        for (ModelType type : ModelType.values()) {
            for (int clusters : new int[] {1, 3}) {
                int[] delays = new int[3];
                for (int seed = 1; seed <= 3; seed++) {
                    double[][] values = gaussian(seed, clusters, SHIFT_AT + AFTER, SHIFT_AT, 3);
                    List<Integer> at = fired(values, scores(type, false, seed, values), type.warmup());
                    delays[seed - 1] = at.stream().filter(i -> i >= SHIFT_AT).findFirst().map(i -> i - SHIFT_AT)
                            .orElse(-1);
                    assertEquals(List.of(), at.stream().filter(i -> i < SHIFT_AT).toList(), type + ": before");
                }
                System.out.printf("drift defaults, %s, %d cluster(s), shift of 3 sigma: delays %s points%n",
                        type.configName(), clusters, Arrays.toString(delays));
                for (int d : delays) {
                    assertTrue(d >= 0 && d <= 60, type + ", " + clusters + " cluster(s): delay " + d);
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
            int absorbed = absorbed(scores(type, false, 1, gaussian(1, 3, SHIFT_AT + AFTER, SHIFT_AT, 3)));
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
