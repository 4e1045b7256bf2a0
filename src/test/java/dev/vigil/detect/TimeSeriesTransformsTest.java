package dev.vigil.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.detect.transform.DeltaTransform;
import dev.vigil.detect.transform.ShingleTransform;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code shingle} and {@code delta} transforms: their outputs, configuration and checkpoints. */
class TimeSeriesTransformsTest {
    private static final PipelineSpec.Keys KEYS = PipelineSpec.Keys.under("vigil.");

    private static double[] point(double a, double b) {
        return new double[] {a, b};
    }

    @Test
    void shingle_lastSizePointsOldestFirst_missingOnesRepeatTheOldest() {
        ShingleTransform s = ShingleTransform.builder().size(3).build(2);
        assertEquals(6, s.outputDimensions());
        assertArrayEquals(new double[] {1, 10, 1, 10, 1, 10}, s.learnTransform(point(1, 10)));
        assertArrayEquals(new double[] {1, 10, 1, 10, 2, 20}, s.learnTransform(point(2, 20)));
        assertArrayEquals(new double[] {1, 10, 2, 20, 3, 30}, s.learnTransform(point(3, 30)));
        assertArrayEquals(new double[] {2, 20, 3, 30, 4, 40}, s.learnTransform(point(4, 40)));
        assertArrayEquals(new double[] {3, 30, 4, 40, 5, 50}, s.learnTransform(point(5, 50)));
    }

    @Test
    void shingle_beforeAnyPoint_repeatsTheCurrentOne() {
        ShingleTransform s = ShingleTransform.builder().size(4).build(1);
        assertArrayEquals(new double[] {7, 7, 7, 7}, s.transform(new double[] {7}));
    }

    @Test
    void shingle_transform_doesNotAdvanceTheHistory() {
        ShingleTransform s = ShingleTransform.builder().size(3).build(1);
        s.learnTransform(new double[] {1});
        s.learnTransform(new double[] {2});
        assertArrayEquals(new double[] {1, 2, 99}, s.transform(new double[] {99}).clone());
        assertArrayEquals(new double[] {1, 2, 98}, s.transform(new double[] {98}).clone());
        assertArrayEquals(new double[] {1, 2, 3}, s.learnTransform(new double[] {3}));
        assertArrayEquals(new double[] {2, 3, 4}, s.learnTransform(new double[] {4}));
    }

    @Test
    void shingle_sizeOne_isTheIdentity() {
        ShingleTransform s = ShingleTransform.builder().size(1).build(2);
        assertArrayEquals(point(3, 4), s.learnTransform(point(3, 4)));
        assertArrayEquals(point(5, 6), s.learnTransform(point(5, 6)));
    }

    @Test
    void shingle_outputBuffer_isReused() {
        ShingleTransform s = ShingleTransform.builder().size(3).build(2);
        assertSame(s.learnTransform(point(1, 2)), s.learnTransform(point(3, 4)));
    }

    @Test
    void shingle_attributeBack_sumsEveryLagOfAFeature() {
        ShingleTransform s = ShingleTransform.builder().size(3).build(2);
        double[] back = s.attributeBack(new double[] {0.1, 0.2, 0.05, 0.15, 0.3, 0.2});
        assertArrayEquals(new double[] {0.45, 0.55}, back, 1e-12);
    }

    @Test
    void delta_firstPointZero_thenChangeSinceThePreviousLearned() {
        DeltaTransform d = DeltaTransform.builder().build(2);
        assertArrayEquals(point(0, 0), d.learnTransform(point(100, 5)));
        assertArrayEquals(point(10, 2), d.learnTransform(point(110, 7)));
        assertArrayEquals(point(40, 3), d.transform(point(150, 10)).clone());
        assertArrayEquals(point(15, 1), d.learnTransform(point(125, 8)), "transform must not have remembered 150");
    }

    @Test
    void delta_counterReset_countsTheNewValueAsTheIncrease() {
        DeltaTransform d = DeltaTransform.builder().build(1);
        d.learnTransform(new double[] {1000});
        assertArrayEquals(new double[] {12}, d.learnTransform(new double[] {12}), "restarted from zero");
        assertArrayEquals(new double[] {5}, d.learnTransform(new double[] {17}));
    }

    @Test
    void delta_gauge_keepsNegativeChanges() {
        DeltaTransform d = DeltaTransform.builder().counter(false).build(1);
        d.learnTransform(new double[] {20});
        assertArrayEquals(new double[] {-1.5}, d.learnTransform(new double[] {18.5}));
    }

    @Test
    void parse_timeSeriesTransforms_buildTheirPipelineAndFingerprint() {
        PipelineSpec spec = PipelineSpec.parse(KEYS, "isolation_forest", Map.of(), List.of("delta", "shingle", "scaler"),
                Map.of("shingle", Map.of("size", "16"), "delta", Map.of("counter", "false")));
        Pipeline pipeline = spec.newPipeline(3);
        assertEquals(48, pipeline.model().dimensions());
        assertEquals("delta | shingle | scaler | isolation_forest", pipeline.description());
        assertTrue(spec.fingerprint().startsWith("vigil-state/1 delta(counter=false) | shingle(size=16) | scaler() | "),
                spec.fingerprint());
        String defaults = PipelineSpec.parse(KEYS, "isolation_forest", Map.of(), List.of("delta", "shingle"), Map.of())
                .fingerprint();
        assertTrue(defaults.startsWith("vigil-state/1 delta(counter=true) | shingle(size=8) | "), defaults);
        assertNotEquals(defaults, PipelineSpec.parse(KEYS, "isolation_forest", Map.of(), List.of("delta", "shingle"),
                Map.of("shingle", Map.of("size", "9"))).fingerprint());
    }

    @Test
    void parse_badShingleOrDeltaSetting_namesTheKeyAndTheRule() {
        InvalidConfigurationException size = assertThrows(InvalidConfigurationException.class,
                () -> PipelineSpec.parse(KEYS, "knn", Map.of(), List.of("shingle"), Map.of("shingle", Map.of("size", "0"))));
        assertEquals("vigil.transform.shingle.size: must be in [1, 1000], was 0", size.getMessage());
        InvalidConfigurationException counter = assertThrows(InvalidConfigurationException.class,
                () -> PipelineSpec.parse(KEYS, "knn", Map.of(), List.of("delta"), Map.of("delta", Map.of("counter", "yes"))));
        assertEquals("vigil.transform.delta.counter: must be true or false, was 'yes'", counter.getMessage());
        InvalidConfigurationException unknown = assertThrows(InvalidConfigurationException.class,
                () -> PipelineSpec.parse(KEYS, "knn", Map.of(), List.of("shingle"), Map.of("shingle", Map.of("length", "8"))));
        assertEquals("vigil.transform.shingle.length", unknown.key());
        assertTrue(unknown.getMessage().contains("allowed: size"), unknown.getMessage());
        InvalidConfigurationException name = assertThrows(InvalidConfigurationException.class,
                () -> PipelineSpec.parse(KEYS, "knn", Map.of(), List.of("shingles"), Map.of()));
        assertTrue(name.getMessage().contains("allowed: scaler, pca, shingle, delta"), name.getMessage());
    }

    @Test
    void newPipeline_shingleWiderThanAnyPointMayBe_isRefusedNamingTheProduct() {
        PipelineSpec spec = PipelineSpec.parse(KEYS, "zscore", Map.of(), List.of("shingle"),
                Map.of("shingle", Map.of("size", "1000")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.newPipeline(101));
        assertTrue(e.getMessage().startsWith("size * dimensions must be in [1, 100000]"), e.getMessage());
    }
}
