package dev.vigil.detect.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.detect.InvalidPointException;
import dev.vigil.detect.Precision;
import dev.vigil.detect.Rng;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineSpecTest {
    private static final PipelineSpec.Keys KEYS = PipelineSpec.Keys.under("vigil.");

    private static InvalidConfigurationException refused(String model, Map<String, String> params,
            List<String> preprocessing, Map<String, Map<String, String>> transformParams) {
        return assertThrows(InvalidConfigurationException.class,
                () -> PipelineSpec.parse(KEYS, model, params, preprocessing, transformParams));
    }

    @Test
    void parse_unknownModel_namesKeyAndAllowedModels() {
        InvalidConfigurationException e = refused("forest", Map.of(), List.of(), Map.of());
        assertEquals("vigil.model.type", e.key());
        assertTrue(e.getMessage().contains("unknown model 'forest'"), e.getMessage());
        assertTrue(e.getMessage().contains("isolation_forest, knn, adaptive_svm, zscore, random_cut_forest"),
                e.getMessage());
    }

    @Test
    void parse_unknownParameter_namesKeyAndAllowedParameters() {
        InvalidConfigurationException e = refused("isolation_forest", Map.of("trees", "10"), List.of(), Map.of());
        assertEquals("vigil.model.params.trees", e.key());
        assertTrue(e.getMessage().contains("allowed: max_leaf_samples, num_trees, sample_size, seed, window_size"),
                e.getMessage());
    }

    @Test
    void parse_nonNumericParameter_namesKey() {
        InvalidConfigurationException e = refused("knn", Map.of("k", "ten"), List.of(), Map.of());
        assertEquals("vigil.model.params.k", e.key());
        assertTrue(e.getMessage().contains("must be an integer, was 'ten'"), e.getMessage());
    }

    @Test
    void parse_parameterOutOfRange_namesKeyAndRange() {
        InvalidConfigurationException e = refused("isolation_forest", Map.of("num_trees", "0"), List.of(), Map.of());
        assertEquals("vigil.model.params.num_trees", e.key());
        assertEquals("vigil.model.params.num_trees: must be in [1, 10000], was 0", e.getMessage());
        InvalidConfigurationException nu = refused("adaptive_svm", Map.of("nu", "1.5"), List.of(), Map.of());
        assertEquals("vigil.model.params.nu", nu.key());
    }

    @Test
    void parse_inconsistentParameters_namesFirstParameter() {
        InvalidConfigurationException e = refused("knn", Map.of("k", "50", "window_size", "20"), List.of(), Map.of());
        assertEquals("vigil.model.params.k", e.key());
        assertTrue(e.getMessage().contains("must not exceed window_size"), e.getMessage());
    }

    @Test
    void parse_unknownTransform_namesKeyAndAllowedTransforms() {
        InvalidConfigurationException e = refused("zscore", Map.of(), List.of("scaler", "whiten"), Map.of());
        assertEquals("vigil.preprocessing", e.key());
        assertTrue(e.getMessage().contains("allowed: scaler, pca"), e.getMessage());
        InvalidConfigurationException params = refused("zscore", Map.of(), List.of(),
                Map.of("whiten", Map.of("x", "1")));
        assertEquals("vigil.transform.whiten", params.key());
    }

    @Test
    void parse_badTransformParameter_namesKey() {
        InvalidConfigurationException e = refused("zscore", Map.of(), List.of("pca"),
                Map.of("pca", Map.of("n_components", "0")));
        assertEquals("vigil.transform.pca.n_components", e.key());
    }

    @Test
    void parse_seedOnModelWithoutRandomness_isAccepted() {
        PipelineSpec spec = PipelineSpec.parse(KEYS, "zscore", Map.of("seed", "3"), List.of(), Map.of());
        assertEquals("zscore", spec.description());
    }

    @Test
    void newPipeline_pcaWiderThanInput_isCappedNotFatal() {
        PipelineSpec spec = PipelineSpec.parse(KEYS, "isolation_forest", Map.of(), List.of("scaler", "pca"),
                Map.of("pca", Map.of("n_components", "10")));
        Pipeline pipeline = spec.newPipeline(4);
        assertEquals(4, pipeline.model().dimensions());
        assertEquals("scaler | pca | isolation_forest", pipeline.description());
        Rng rng = new Rng(1);
        for (int i = 0; i < 500; i++) {
            double s = pipeline.scoreLearn(new double[] {rng.nextGaussian(), rng.nextGaussian(), 1, rng.nextGaussian()});
            assertTrue(s >= 0 && s <= 1);
        }
    }

    @Test
    void newPipeline_pca_reducesDimensionAndKeepsOutliersVisible() {
        PipelineSpec spec = PipelineSpec.parse(KEYS, "knn", Map.of(), List.of("scaler", "pca"),
                Map.of("pca", Map.of("n_components", "2")));
        Pipeline pipeline = spec.newPipeline(6);
        assertEquals(2, pipeline.model().dimensions());
        Rng rng = new Rng(2);
        for (int i = 0; i < 2000; i++) {
            double a = rng.nextGaussian();
            double b = rng.nextGaussian();
            // Six features spanned by two latent ones: PCA to two loses nothing.
            pipeline.scoreLearn(new double[] {a, b, a + b, a - b, 2 * a, 0.1 * rng.nextGaussian()});
        }
        double ordinary = pipeline.score(new double[] {0.5, -0.5, 0, 1, 1, 0});
        double outlier = pipeline.score(new double[] {8, 8, 16, 0, 16, 0});
        assertTrue(outlier > 0.7 && outlier > ordinary + 0.3, "outlier " + outlier + " ordinary " + ordinary);
    }

    @Test
    void pipeline_invalidPoint_refusedBeforeTransforms() {
        Pipeline pipeline = PipelineSpec.parse(KEYS, "zscore", Map.of(), List.of("scaler"), Map.of()).newPipeline(2);
        InvalidPointException e = assertThrows(InvalidPointException.class,
                () -> pipeline.scoreLearn(new double[] {1, Double.NaN}));
        assertEquals(1, e.feature());
        assertEquals(0.0, pipeline.scoreLearn(new double[] {1, 2}), "the scaler must not have learned the NaN");
    }

    private static String fingerprint(String model, Map<String, String> params, List<String> preprocessing,
            Map<String, Map<String, String>> transformParams, Precision precision) {
        return PipelineSpec.parse(KEYS, model, params, preprocessing, transformParams, precision).fingerprint();
    }

    @Test
    void fingerprint_defaults_listEveryEffectiveSetting() {
        assertEquals("vigil-state/1 isolation_forest(max_leaf_samples=8,num_trees=100,precision=float32,"
                + "sample_size=256,seed=42,window_size=2048)",
                fingerprint("isolation_forest", Map.of(), List.of(), Map.of(), Precision.FLOAT32));
        assertEquals("vigil-state/1 scaler() | pca(batch_size=64,n_components=10) | knn(k=10,precision=float64,"
                + "window_size=1000)",
                fingerprint("knn", Map.of(), List.of("scaler", "pca"), Map.of(), Precision.FLOAT64));
        assertEquals("vigil-state/1 adaptive_svm(adaptation_rate=0.1,buffer_size=200,nu=0.1,precision=float32,"
                + "seed=42,sv_budget=100)", fingerprint("adaptive_svm", Map.of(), List.of(), Map.of(), Precision.FLOAT32));
        assertEquals("vigil-state/1 random_cut_forest(num_trees=50,sample_size=256,seed=42)",
                fingerprint("random_cut_forest", Map.of(), List.of(), Map.of(), Precision.FLOAT32));
        assertEquals("vigil-state/1 zscore()", fingerprint("zscore", Map.of(), List.of(), Map.of(), Precision.FLOAT32));
    }

    @Test
    void fingerprint_sameEffectiveConfiguration_isEqual() {
        String implicit = fingerprint("isolation_forest", Map.of(), List.of("scaler"), Map.of(), Precision.FLOAT32);
        String explicit = fingerprint(" isolation_forest", Map.of("num_trees", "100", "seed", "42", "window_size",
                "2048"), List.of(" scaler"), Map.of(), Precision.FLOAT32);
        assertEquals(implicit, explicit);
        // sample_size is capped at window_size: both forests sample 64 points.
        assertEquals(fingerprint("isolation_forest", Map.of("window_size", "64", "sample_size", "100"), List.of(),
                Map.of(), Precision.FLOAT32), fingerprint("isolation_forest", Map.of("window_size", "64",
                "sample_size", "64"), List.of(), Map.of(), Precision.FLOAT32));
        // Models that keep no window of points are not affected by the precision; knn ignores the seed.
        assertEquals(fingerprint("zscore", Map.of(), List.of(), Map.of(), Precision.FLOAT32),
                fingerprint("zscore", Map.of("seed", "5"), List.of(), Map.of(), Precision.FLOAT64));
        assertEquals(fingerprint("random_cut_forest", Map.of(), List.of(), Map.of(), Precision.FLOAT32),
                fingerprint("random_cut_forest", Map.of(), List.of(), Map.of(), Precision.FLOAT64));
        assertEquals(fingerprint("knn", Map.of("seed", "1"), List.of(), Map.of(), Precision.FLOAT32),
                fingerprint("knn", Map.of("seed", "2"), List.of(), Map.of(), Precision.FLOAT32));
    }

    @Test
    void fingerprint_anyChangeThatMattersToState_changesIt() {
        String base = fingerprint("isolation_forest", Map.of(), List.of("scaler", "pca"), Map.of(), Precision.FLOAT32);
        List<String> changed = List.of(
                fingerprint("isolation_forest", Map.of("seed", "7"), List.of("scaler", "pca"), Map.of(), Precision.FLOAT32),
                fingerprint("isolation_forest", Map.of("num_trees", "50"), List.of("scaler", "pca"), Map.of(),
                        Precision.FLOAT32),
                fingerprint("isolation_forest", Map.of("max_leaf_samples", "32"), List.of("scaler", "pca"), Map.of(),
                        Precision.FLOAT32),
                fingerprint("isolation_forest", Map.of(), List.of("scaler", "pca"), Map.of(), Precision.FLOAT64),
                fingerprint("isolation_forest", Map.of(), List.of("pca", "scaler"), Map.of(), Precision.FLOAT32),
                fingerprint("isolation_forest", Map.of(), List.of("scaler"), Map.of(), Precision.FLOAT32),
                fingerprint("isolation_forest", Map.of(), List.of("scaler", "pca"),
                        Map.of("pca", Map.of("n_components", "3")), Precision.FLOAT32),
                fingerprint("knn", Map.of(), List.of("scaler", "pca"), Map.of(), Precision.FLOAT32));
        for (String other : changed) {
            assertTrue(!other.equals(base), other);
        }
        assertEquals(changed.size(), changed.stream().distinct().count());
    }
}
