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
import dev.vigil.testing.StateBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint hook of pluggable models ({@link ModelProvider#stateFormat()}): a provider that says how restores
 * exactly (the test provider {@code test_flaky}, registered through the service loader), and one that does not
 * keeps nothing, safely.
 */
class ModelProviderStateTest {
    private static final int DIMENSIONS = 3;
    private static final double[][] POINTS = new GaussianStream(DIMENSIONS, 2, 5).next(400);

    /** A site's model that does not override the hook: it scores 1 once it has learned a point, 0 before. */
    private static final ModelProvider PLAIN = new ModelProvider() {
        @Override
        public String configName() {
            return "site_model";
        }

        @Override
        public DetectorFactory configure(Params params) {
            return DetectorFactory.of("", Learned::new);
        }
    };

    private static final class Learned implements Detector {
        private final int dimensions;
        private long points;

        Learned(int dimensions) {
            this.dimensions = dimensions;
        }

        @Override
        public double score(double[] x) {
            return points > 0 ? 1.0 : 0.0;
        }

        @Override
        public void learn(double[] x) {
            points++;
        }

        @Override
        public int dimensions() {
            return dimensions;
        }

        @Override
        public long sizeInBytes() {
            return 24;
        }
    }

    @Test
    void stateFormat_providerOverridesIt_restoredPipelineScoresAsUninterrupted() throws IOException {
        PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), "test_flaky", Map.of(),
                List.of("scaler"), Map.of());
        Pipeline original = spec.newPipeline(DIMENSIONS);
        for (int i = 0; i < 200; i++) {
            original.scoreLearn(POINTS[i]);
        }
        Pipeline restored = spec.newPipeline(DIMENSIONS);
        StateBytes.restore(restored, StateBytes.of(original));

        for (int i = 200; i < POINTS.length; i++) {
            assertEquals(original.scoreLearn(POINTS[i]), restored.scoreLearn(POINTS[i]), 0.0, "point " + i);
        }
    }

    @Test
    void stateFormat_default_writesTheModelsNameOnlyAndRestoresAFreshDetector() throws IOException {
        Detector learned = PLAIN.configure(new Params("", Map.of())).create(DIMENSIONS);
        for (int i = 0; i < 200; i++) {
            learned.scoreLearn(POINTS[i]);
        }
        byte[] state = StateBytes.of(PLAIN.stateFormat(), learned);
        Detector restored = PLAIN.configure(new Params("", Map.of())).create(DIMENSIONS);
        StateBytes.restore(PLAIN.stateFormat(), restored, state);

        assertArrayEquals(StateBytes.of(PLAIN.stateFormat(), PLAIN.configure(new Params("", Map.of()))
                .create(DIMENSIONS)), state, "the same bytes whatever was learned");
        assertTrue(new String(state, StandardCharsets.UTF_8).contains("site_model/stateless"));
        assertEquals(1.0, learned.score(POINTS[200]), "the original has learned");
        assertEquals(0.0, restored.score(POINTS[200]), "the restored one starts afresh, as a new key");
    }

    @Test
    void stateFormat_default_refusesAnotherModelsStateNamingBoth() throws IOException {
        Detector knn = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), "knn", Map.of(), List.of(), Map.of())
                .newPipeline(DIMENSIONS).model();
        byte[] knnState = StateBytes.of(ModelType.KNN.stateFormat(), knn);
        Detector plain = PLAIN.configure(new Params("", Map.of())).create(DIMENSIONS);

        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> StateBytes.restore(PLAIN.stateFormat(), plain, knnState));
        assertTrue(e.getMessage().startsWith("checkpoint holds knn/1 state, this is site_model/stateless"),
                e.getMessage());
    }
}
