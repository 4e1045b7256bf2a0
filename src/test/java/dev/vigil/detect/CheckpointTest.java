package dev.vigil.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.pipeline.ModelType;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.testdata.GaussianStream;
import dev.vigil.testing.ParallelSafe;
import dev.vigil.testing.StateBytes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Restored equals uninterrupted: a pipeline read back from a checkpoint scores exactly as the original. */
@ParallelSafe
class CheckpointTest {
    private static final int DIMENSIONS = 5;
    /** Before anything is learned, after one point, a few, mid-window, and after every window has wrapped. */
    private static final int[] MOMENTS = {0, 1, 7, 30, 150};
    private static final int AFTER = 2000;
    private static final List<List<String>> PREPROCESSING = List.of(List.of(), List.of("scaler"), List.of("pca"),
            List.of("scaler", "pca"), List.of("delta", "shingle", "scaler"));

    /** Small windows, so that 150 points wrap every one of them and the test stays fast. */
    private static Map<String, String> smallParams(ModelType type) {
        return switch (type) {
            case ISOLATION_FOREST -> Map.of("num_trees", "10", "window_size", "64", "sample_size", "32", "seed", "3");
            case KNN -> Map.of("k", "5", "window_size", "50");
            case ADAPTIVE_SVM -> Map.of("buffer_size", "40", "sv_budget", "20", "seed", "3");
            case ZSCORE -> Map.of();
            case RANDOM_CUT_FOREST -> Map.of("num_trees", "10", "sample_size", "32", "seed", "3");
        };
    }

    private static PipelineSpec spec(ModelType type, Map<String, String> params, List<String> preprocessing,
            Precision precision) {
        return PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(), params, preprocessing,
                Map.of("pca", Map.of("n_components", "3", "batch_size", "16"), "shingle", Map.of("size", "4")), precision);
    }

    /** Gaussian clusters with a far outlier every 97 points. */
    private static double[][] points(int dimensions, int n) {
        GaussianStream stream = new GaussianStream(dimensions, 3, 17);
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            points[i] = i % 97 == 50 ? stream.outlier(8) : stream.next();
        }
        return points;
    }

    /** Both precisions only for the models whose state they change (their fingerprint says so), to stay fast. */
    static Stream<Arguments> everyModelPreprocessingAndPrecision() {
        List<Arguments> cases = new ArrayList<>();
        for (ModelType type : ModelType.values()) {
            boolean keepsPoints = !spec(type, Map.of(), List.of(), Precision.FLOAT32).fingerprint()
                    .equals(spec(type, Map.of(), List.of(), Precision.FLOAT64).fingerprint());
            for (List<String> preprocessing : PREPROCESSING) {
                for (Precision precision : Precision.values()) {
                    if (keepsPoints || precision == Precision.DEFAULT) {
                        cases.add(Arguments.of(type, preprocessing, precision));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} after {1}, {2}")
    @MethodSource("everyModelPreprocessingAndPrecision")
    void read_checkpointAtAnyMoment_scoresExactlyAsUninterrupted(ModelType type, List<String> preprocessing,
            Precision precision) throws IOException {
        PipelineSpec spec = spec(type, smallParams(type), preprocessing, precision);
        int last = MOMENTS[MOMENTS.length - 1];
        double[][] points = points(DIMENSIONS, last + AFTER);
        Pipeline original = spec.newPipeline(DIMENSIONS);
        double[] scores = new double[points.length];
        byte[][] checkpoints = new byte[MOMENTS.length][];
        for (int i = 0, m = 0; i < points.length; i++) {
            if (m < MOMENTS.length && i == MOMENTS[m]) {
                checkpoints[m++] = StateBytes.of(original);
            }
            scores[i] = original.scoreLearn(points[i]);
        }
        for (int m = 0; m < MOMENTS.length; m++) {
            Pipeline restored = spec.newPipeline(DIMENSIONS);
            StateBytes.restore(restored, checkpoints[m]);
            assertArrayEquals(checkpoints[m], StateBytes.of(restored), "state written back after " + MOMENTS[m]);
            int from = MOMENTS[m];
            double[] expected = Arrays.copyOfRange(scores, from, from + AFTER);
            double[] actual = new double[AFTER];
            for (int i = 0; i < AFTER; i++) {
                actual[i] = restored.scoreLearn(points[from + i]);
            }
            assertArrayEquals(expected, actual, spec.description() + " restored after " + from + " points");
        }
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void read_otherDimensions_isRefusedNamingThem(ModelType type) throws IOException {
        PipelineSpec spec = spec(type, smallParams(type), List.of("scaler"), Precision.FLOAT32);
        Pipeline four = spec.newPipeline(4);
        for (double[] x : points(4, 100)) {
            four.scoreLearn(x);
        }
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> StateBytes.restore(spec.newPipeline(3), StateBytes.of(four)));
        assertTrue(e.getMessage().contains("dimensions=3 here, dimensions=4 in the checkpoint"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void read_otherModel_isRefusedNamingBoth(ModelType type) throws IOException {
        ModelType other = type == ModelType.KNN ? ModelType.ZSCORE : ModelType.KNN;
        Detector written = spec(type, smallParams(type), List.of(), Precision.FLOAT32).newPipeline(4).model();
        Detector reader = spec(other, smallParams(other), List.of(), Precision.FLOAT32).newPipeline(4).model();
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> StateBytes.restore(other.stateFormat(), reader, StateBytes.of(type.stateFormat(), written)));
        assertTrue(e.getMessage().startsWith("checkpoint holds " + type.configName() + "/1 state, this is "
                + other.configName() + "/1"), e.getMessage());
    }

    @Test
    void read_otherSettings_isRefusedNamingTheSetting() throws IOException {
        Pipeline written = spec(ModelType.ISOLATION_FOREST, Map.of("window_size", "64"), List.of("scaler"),
                Precision.FLOAT32).newPipeline(4);
        byte[] state = StateBytes.of(written);
        CheckpointFormatException window = assertThrows(CheckpointFormatException.class, () -> StateBytes.restore(
                spec(ModelType.ISOLATION_FOREST, Map.of("window_size", "128"), List.of("scaler"), Precision.FLOAT32)
                        .newPipeline(4), state));
        assertTrue(window.getMessage().contains("window_size=128 here, window_size=64 in the checkpoint"),
                window.getMessage());
        CheckpointFormatException precision = assertThrows(CheckpointFormatException.class, () -> StateBytes.restore(
                spec(ModelType.ISOLATION_FOREST, Map.of("window_size", "64"), List.of("scaler"), Precision.FLOAT64)
                        .newPipeline(4), state));
        assertTrue(precision.getMessage().contains("precision=float64 here, precision=float32 in the checkpoint"),
                precision.getMessage());
        CheckpointFormatException stages = assertThrows(CheckpointFormatException.class, () -> StateBytes.restore(
                spec(ModelType.ISOLATION_FOREST, Map.of("window_size", "64"), List.of(), Precision.FLOAT32)
                        .newPipeline(4), state));
        assertTrue(stages.getMessage().contains("stages=isolation_forest here, stages=scaler | isolation_forest in the"),
                stages.getMessage());
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void read_truncated_failsWithIOExceptionOnly(ModelType type) throws IOException {
        PipelineSpec spec = spec(type, smallParams(type), List.of("scaler", "pca"), Precision.FLOAT32);
        Pipeline original = spec.newPipeline(DIMENSIONS);
        for (double[] x : points(DIMENSIONS, 150)) {
            original.scoreLearn(x);
        }
        byte[] state = StateBytes.of(original);
        int step = Math.max(1, state.length / 100);
        for (int length = 0; length < state.length; length += step) {
            byte[] cut = Arrays.copyOf(state, length);
            assertThrows(IOException.class, () -> StateBytes.restore(spec.newPipeline(DIMENSIONS), cut), "cut at " + length);
        }
        assertThrows(IOException.class, () -> StateBytes.restore(spec.newPipeline(DIMENSIONS),
                Arrays.copyOf(state, state.length - 1)));
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void write_afterFivePoints_isSmall(ModelType type) throws IOException {
        PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), type.configName(), Map.of(),
                List.of("scaler"), Map.of());
        Pipeline pipeline = spec.newPipeline(4);
        for (double[] x : points(4, 5)) {
            pipeline.scoreLearn(x);
        }
        int size = StateBytes.of(pipeline).length;
        System.out.printf("%s, 4 features: state %d bytes after 5 points%n", spec.description(), size);
        assertTrue(size < 8 * 1024, spec.description() + " wrote " + size + " bytes after 5 points");
    }

    @Test
    void write_isolationForestDefaults_sizeGrowsWithWhatIsLearned() throws IOException {
        for (Precision precision : Precision.values()) {
            Detector forest = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), "isolation_forest", Map.of(),
                    List.of(), Map.of(), precision).newPipeline(4).model();
            double[][] points = points(4, 2048);
            for (int i = 0; i < 5; i++) {
                forest.scoreLearn(points[i]);
            }
            int afterFive = StateBytes.of(ModelType.ISOLATION_FOREST.stateFormat(), forest).length;
            for (int i = 5; i < points.length; i++) {
                forest.scoreLearn(points[i]);
            }
            int fullWindow = StateBytes.of(ModelType.ISOLATION_FOREST.stateFormat(), forest).length;
            System.out.printf("isolation_forest, 4 features, %s: state %d bytes after 5 points, %d after a full window"
                    + " (%d bytes of heap)%n", precision.configName(), afterFive, fullWindow, forest.sizeInBytes());
            assertTrue(afterFive < 4096, "after 5 points: " + afterFive);
            // Only the used part is written; the heap holds little more since the arrays grow with what is used.
            assertTrue(fullWindow < forest.sizeInBytes(), "full window: " + fullWindow);
        }
    }

    @Test
    void read_intoUsedInstance_replacesItsState() throws IOException {
        PipelineSpec spec = spec(ModelType.ISOLATION_FOREST, smallParams(ModelType.ISOLATION_FOREST),
                List.of("scaler"), Precision.FLOAT64);
        double[][] points = points(DIMENSIONS, 400);
        Pipeline original = spec.newPipeline(DIMENSIONS);
        Pipeline used = spec.newPipeline(DIMENSIONS);
        for (int i = 0; i < 20; i++) {
            original.scoreLearn(points[i]);
        }
        for (int i = 200; i < 400; i++) {
            used.scoreLearn(points[i]);
        }
        StateBytes.restore(used, StateBytes.of(original));
        for (int i = 20; i < 200; i++) {
            assertEquals(original.scoreLearn(points[i]), used.scoreLearn(points[i]), 0.0, "point " + i);
        }
    }
}
