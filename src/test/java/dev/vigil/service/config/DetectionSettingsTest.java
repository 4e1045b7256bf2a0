package dev.vigil.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.detect.Precision;
import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.PipelineSpec;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code vigil.*} properties as an operator writes them, through the real config mapping. */
class DetectionSettingsTest {

    private static VigilConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(VigilConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(VigilConfig.class);
    }

    @Test
    void from_noProperties_isDefaultIsolationForest() {
        VigilConfig c = config(Map.of());
        assertEquals("isolation_forest", DetectionSettings.from(c).description());
        assertEquals(new Grading(Grading.Mode.FIXED, Thresholds.DEFAULT, Grading.DEFAULT_RARITIES),
                DetectionSettings.gradingFrom(c));
    }

    @Test
    void from_referencePipeline_isBuiltInOrder() {
        PipelineSpec spec = DetectionSettings.from(config(Map.of(
                "vigil.model.type", "isolation_forest",
                "vigil.model.params.num_trees", "100",
                "vigil.model.params.window_size", "2000",
                "vigil.preprocessing", "scaler,pca",
                "vigil.transform.pca.n_components", "10")));
        assertEquals("scaler | pca | isolation_forest", spec.description());
        assertEquals(3, spec.newPipeline(3).model().dimensions());
    }

    @Test
    void from_badProperties_failWithTheKey() {
        assertEquals("vigil.model.type", assertThrows(InvalidConfigurationException.class,
                () -> DetectionSettings.from(config(Map.of("vigil.model.type", "svm")))).key());
        assertEquals("vigil.model.params.window_size", assertThrows(InvalidConfigurationException.class,
                () -> DetectionSettings.from(config(Map.of("vigil.model.params.window_size", "-1")))).key());
        assertEquals("vigil.preprocessing", assertThrows(InvalidConfigurationException.class,
                () -> DetectionSettings.from(config(Map.of("vigil.preprocessing", "scaler,normalise")))).key());
        assertEquals("vigil.thresholds.critical", assertThrows(InvalidConfigurationException.class,
                () -> DetectionSettings.gradingFrom(config(Map.of("vigil.thresholds.critical", "2")))).key());
        assertEquals("vigil.thresholds.rarity", assertThrows(InvalidConfigurationException.class,
                () -> DetectionSettings.gradingFrom(config(Map.of("vigil.thresholds.rarity.high", "0.95")))).key());
        assertEquals("vigil.thresholds.mode", assertThrows(InvalidConfigurationException.class,
                () -> DetectionSettings.gradingFrom(config(Map.of("vigil.thresholds.mode", "percentile")))).key());
        assertEquals("vigil.thresholds.rarity.window", assertThrows(InvalidConfigurationException.class,
                () -> DetectionSettings.rarityWindowFrom(config(Map.of("vigil.thresholds.rarity.window", "10")))).key());
        assertEquals("vigil.memory.precision", assertThrows(InvalidConfigurationException.class,
                () -> DetectionSettings.from(config(Map.of("vigil.memory.precision", "float16")))).key());
    }

    @Test
    void from_memoryPrecision_reachesModelAndFallback() {
        assertEquals(Precision.FLOAT32, DetectionSettings.from(config(Map.of())).precision());
        VigilConfig doubles = config(Map.of("vigil.memory.precision", "float64", "vigil.fallback.model", "knn"));
        assertEquals(Precision.FLOAT64, DetectionSettings.from(doubles).precision());
        assertEquals(Precision.FLOAT64, DetectionSettings.fallbackFrom(doubles).precision());
        assertEquals("vigil-state/1 knn(k=10,precision=float64,window_size=1000)",
                DetectionSettings.fallbackFrom(doubles).fingerprint());
    }
}
