package dev.vigil.detect.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.Precision;
import dev.vigil.detect.grade.AnomalyLikelihood;
import dev.vigil.detect.grade.AnomalyLikelihoodStateCodec;
import dev.vigil.detect.grade.AnomalyLikelihoodStateMapper;
import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.KeyGrading;
import dev.vigil.detect.grade.KeyGradingStateCodec;
import dev.vigil.detect.grade.KeyGradingStateMapper;
import dev.vigil.detect.grade.ScoreRanks;
import dev.vigil.detect.grade.ScoreRanksStateCodec;
import dev.vigil.detect.grade.ScoreRanksStateMapper;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.grade.ValueRange;
import dev.vigil.detect.grade.ValueRangeStateCodec;
import dev.vigil.detect.grade.ValueRangeStateMapper;
import dev.vigil.detect.model.RelativeScore;
import dev.vigil.detect.model.RelativeScoreStateCodec;
import dev.vigil.detect.model.RelativeScoreStateMapper;
import dev.vigil.detect.model.SlidingWindow;
import dev.vigil.detect.model.SlidingWindowStateCodec;
import dev.vigil.detect.model.SlidingWindowStateMapper;
import dev.vigil.detect.model.forest.IsolationForest;
import dev.vigil.detect.model.forest.IsolationForestStateCodec;
import dev.vigil.detect.model.forest.IsolationForestStateMapper;
import dev.vigil.detect.model.knn.KnnDetector;
import dev.vigil.detect.model.knn.KnnStateCodec;
import dev.vigil.detect.model.knn.KnnStateMapper;
import dev.vigil.detect.model.rcf.RandomCutForestDetector;
import dev.vigil.detect.model.rcf.RandomCutForestDetectorStateCodec;
import dev.vigil.detect.model.rcf.RandomCutForestDetectorStateMapper;
import dev.vigil.detect.model.svm.AdaptiveOneClassSvm;
import dev.vigil.detect.model.svm.AdaptiveOneClassSvmStateCodec;
import dev.vigil.detect.model.svm.AdaptiveOneClassSvmStateMapper;
import dev.vigil.detect.model.zscore.ZScoreDetector;
import dev.vigil.detect.model.zscore.ZScoreStateCodec;
import dev.vigil.detect.model.zscore.ZScoreStateMapper;
import dev.vigil.detect.transform.DeltaTransform;
import dev.vigil.detect.transform.DeltaTransformStateCodec;
import dev.vigil.detect.transform.DeltaTransformStateMapper;
import dev.vigil.detect.transform.IncrementalPca;
import dev.vigil.detect.transform.IncrementalPcaStateCodec;
import dev.vigil.detect.transform.IncrementalPcaStateMapper;
import dev.vigil.detect.transform.ShingleTransform;
import dev.vigil.detect.transform.ShingleTransformStateCodec;
import dev.vigil.detect.transform.ShingleTransformStateMapper;
import dev.vigil.detect.transform.StandardScaler;
import dev.vigil.detect.transform.StandardScalerStateCodec;
import dev.vigil.detect.transform.StandardScalerStateMapper;
import dev.vigil.testdata.GaussianStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stateful class through its mapper and codec (as RCF's {@code RandomCutForestMapperTest} round-trips its
 * models): a State written and read back is the same State, and a model restored from it is the model it was taken
 * from, which carries on learning exactly as the original. Restored pipelines scoring as uninterrupted ones is
 * {@code CheckpointTest}'s; the bytes the golden files hold, {@code CheckpointStateBytesTest}'s.
 */
class StateMapperTest {
    private static final int DIMENSIONS = 4;
    /** Before anything is learned, after one input, a few, and once every window and buffer has wrapped. */
    private static final int[] MOMENTS = {0, 1, 7, 150};
    private static final int AFTER = 300;
    private static final double[][] POINTS = points(MOMENTS[MOMENTS.length - 1] + AFTER);

    /** Gaussian clusters with a far outlier every 37 points. */
    private static double[][] points(int n) {
        GaussianStream stream = new GaussianStream(DIMENSIONS, 3, 23);
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            points[i] = i % 37 == 20 ? stream.outlier(6) : stream.next();
        }
        return points;
    }

    /** A score-like input in [0, 1] for the graders, from point {@code i}. */
    private static double score(int i) {
        return Math.abs(Math.tanh(POINTS[i][0] / 6));
    }

    /** One kind of stateful object: how to build a fresh one, feed it input {@code i}, and its mapper and codec. */
    record Kind<M, S>(String name, Supplier<M> fresh, ObjIntConsumer<M> feed, StateMapper<M, S> mapper,
            StateCodec<M, S> codec) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static <M, S> Kind<M, S> kind(String name, Supplier<M> fresh, ObjIntConsumer<M> feed,
            StateMapper<M, S> mapper, StateCodec<M, S> codec) {
        return new Kind<>(name, fresh, feed, mapper, codec);
    }

    static Stream<Kind<?, ?>> kinds() {
        ObjIntConsumer<dev.vigil.detect.Detector> scoreLearn = (d, i) -> d.scoreLearn(POINTS[i]);
        ObjIntConsumer<dev.vigil.detect.Transform> learnTransform = (t, i) -> t.learnTransform(POINTS[i]);
        return Stream.of(
                kind("isolation_forest", () -> IsolationForest.builder().numTrees(10).windowSize(64).sampleSize(32)
                        .seed(3).build(DIMENSIONS), scoreLearn::accept, new IsolationForestStateMapper(),
                        new IsolationForestStateCodec()),
                kind("knn float32", () -> KnnDetector.builder().k(5).windowSize(50).build(DIMENSIONS),
                        scoreLearn::accept, new KnnStateMapper(), new KnnStateCodec()),
                kind("knn float64", () -> KnnDetector.builder().k(5).windowSize(50).precision(Precision.FLOAT64)
                        .build(DIMENSIONS), scoreLearn::accept, new KnnStateMapper(), new KnnStateCodec()),
                kind("adaptive_svm", () -> AdaptiveOneClassSvm.builder().bufferSize(40).svBudget(20).seed(3)
                        .build(DIMENSIONS), scoreLearn::accept, new AdaptiveOneClassSvmStateMapper(),
                        new AdaptiveOneClassSvmStateCodec()),
                kind("zscore", () -> new ZScoreDetector(DIMENSIONS), scoreLearn::accept, new ZScoreStateMapper(),
                        new ZScoreStateCodec()),
                kind("random_cut_forest", () -> RandomCutForestDetector.builder().numTrees(10).sampleSize(32).seed(3)
                        .build(DIMENSIONS), scoreLearn::accept, new RandomCutForestDetectorStateMapper(),
                        new RandomCutForestDetectorStateCodec()),
                kind("scaler", () -> new StandardScaler(DIMENSIONS), learnTransform::accept,
                        new StandardScalerStateMapper(), new StandardScalerStateCodec()),
                kind("pca", () -> IncrementalPca.builder().nComponents(3).batchSize(16).build(DIMENSIONS),
                        learnTransform::accept, new IncrementalPcaStateMapper(), new IncrementalPcaStateCodec()),
                kind("shingle", () -> ShingleTransform.builder().size(4).build(DIMENSIONS), learnTransform::accept,
                        new ShingleTransformStateMapper(), new ShingleTransformStateCodec()),
                kind("delta", () -> DeltaTransform.builder().counter(false).build(DIMENSIONS),
                        learnTransform::accept, new DeltaTransformStateMapper(), new DeltaTransformStateCodec()),
                kind("sliding window float32", () -> new SlidingWindow(50, DIMENSIONS, Precision.FLOAT32),
                        (w, i) -> w.add(POINTS[i]), new SlidingWindowStateMapper(), new SlidingWindowStateCodec()),
                kind("sliding window float64", () -> new SlidingWindow(50, DIMENSIONS, Precision.FLOAT64),
                        (w, i) -> w.add(POINTS[i]), new SlidingWindowStateMapper(), new SlidingWindowStateCodec()),
                kind("relative score", () -> new RelativeScore(100), (r, i) -> r.observe(score(i) * 10),
                        new RelativeScoreStateMapper(), new RelativeScoreStateCodec()),
                kind("score ranks", () -> new ScoreRanks(50), (r, i) -> r.add(score(i)), new ScoreRanksStateMapper(),
                        new ScoreRanksStateCodec()),
                kind("anomaly likelihood", AnomalyLikelihood::new, (l, i) -> l.next(score(i)),
                        new AnomalyLikelihoodStateMapper(), new AnomalyLikelihoodStateCodec()),
                kind("value range", () -> new ValueRange(DIMENSIONS), (r, i) -> r.add(POINTS[i]),
                        new ValueRangeStateMapper(), new ValueRangeStateCodec()),
                kind("key grading, fixed", () -> grading(Grading.Mode.FIXED), (g, i) -> g.grade(score(i), POINTS[i]),
                        new KeyGradingStateMapper(), new KeyGradingStateCodec()),
                kind("key grading, likelihood", () -> grading(Grading.Mode.LIKELIHOOD),
                        (g, i) -> g.grade(score(i), POINTS[i]), new KeyGradingStateMapper(),
                        new KeyGradingStateCodec()));
    }

    /** Warm-up 5 and a gap of 10: events open and close within the moments; its ranks are a part of their own. */
    private static KeyGrading grading(Grading.Mode mode) {
        return new KeyGrading(new Grading(mode, Thresholds.DEFAULT, Grading.DEFAULT_RARITIES), 5, 10,
                new ScoreRanks(50), DIMENSIONS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    <M, S> void toState_throughItsBytesAtAnyMoment_isTheSameState(Kind<M, S> kind) throws IOException {
        M model = kind.fresh().get();
        for (int i = 0, m = 0; m < MOMENTS.length; i++) {
            if (i == MOMENTS[m]) {
                S state = kind.mapper().toState(model);
                S read = read(kind, bytes(kind, state));
                assertSameState(state, read, kind + " after " + i + ": read back");
                M restored = kind.fresh().get();
                kind.mapper().toModel(read, restored);
                assertSameState(state, kind.mapper().toState(restored), kind + " after " + i + ": restored");
                m++;
            }
            kind.feed().accept(model, i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    <M, S> void toModel_midStream_carriesOnAsTheOriginal(Kind<M, S> kind) throws IOException {
        int from = MOMENTS[MOMENTS.length - 1];
        M original = kind.fresh().get();
        for (int i = 0; i < from; i++) {
            kind.feed().accept(original, i);
        }
        M restored = kind.fresh().get();
        kind.mapper().toModel(read(kind, bytes(kind, kind.mapper().toState(original))), restored);
        // Fed into a used instance too: a restore replaces everything, whatever the instance held.
        M used = kind.fresh().get();
        for (int i = from; i < from + 40; i++) {
            kind.feed().accept(used, i);
        }
        kind.mapper().toModel(read(kind, bytes(kind, kind.mapper().toState(original))), used);

        for (int i = from; i < from + AFTER; i++) {
            kind.feed().accept(original, i);
            kind.feed().accept(restored, i);
            kind.feed().accept(used, i);
        }

        byte[] expected = bytes(kind, kind.mapper().toState(original));
        assertArrayEquals(expected, bytes(kind, kind.mapper().toState(restored)), kind + ": restored");
        assertArrayEquals(expected, bytes(kind, kind.mapper().toState(used)), kind + ": restored into a used one");
        assertFalse(Arrays.equals(expected, bytes(kind, kind.mapper().toState(kind.fresh().get()))),
                kind + ": learned something, so a restore that did nothing would show");
    }

    private static <M, S> byte[] bytes(Kind<M, S> kind, S state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            kind.codec().write(out, state);
        }
        return bytes.toByteArray();
    }

    private static <M, S> S read(Kind<M, S> kind, byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            S state = kind.codec().read(in, kind.fresh().get());
            assertEquals(-1, in.read(), kind + ": the codec reads what it wrote, to the last byte");
            return state;
        }
    }

    /**
     * Equal States: records component by component, lists element by element, arrays by content, anything else
     * (RCF's own state classes) by its equals. A record's own equals compares arrays by identity.
     */
    private static void assertSameState(Object expected, Object actual, String where) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, where);
        } else if (expected instanceof Record) {
            assertEquals(expected.getClass(), actual.getClass(), where);
            for (RecordComponent c : expected.getClass().getRecordComponents()) {
                assertSameState(component(c, expected), component(c, actual), where + " " + c.getName());
            }
        } else if (expected instanceof List<?> list) {
            List<?> other = (List<?>) actual;
            assertEquals(list.size(), other.size(), where + " size");
            for (int i = 0; i < list.size(); i++) {
                assertSameState(list.get(i), other.get(i), where + "[" + i + "]");
            }
        } else if (expected.getClass().isArray()) {
            assertTrue(Objects.deepEquals(expected, actual), where);
        } else {
            assertEquals(expected, actual, where);
        }
    }

    private static Object component(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
