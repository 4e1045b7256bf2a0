package dev.vigil.detect.pipeline;

import dev.vigil.detect.DetectorFactory;
import dev.vigil.detect.ModelProvider;
import dev.vigil.detect.Params;
import dev.vigil.detect.Precision;
import dev.vigil.detect.model.forest.IsolationForest;
import dev.vigil.detect.model.knn.KnnDetector;
import dev.vigil.detect.model.rcf.RandomCutForestDetector;
import dev.vigil.detect.model.svm.AdaptiveOneClassSvm;
import dev.vigil.detect.model.zscore.ZScoreDetector;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in models, by the names the reference configuration uses ({@code vigil.model.type}), and how
 * each reads its parameters ({@code vigil.model.params.*}). Every model accepts {@code seed}, so a
 * configuration stays valid when the model type changes; the ones without randomness ignore it. The models
 * that keep windows of points (isolation_forest, knn, adaptive_svm) keep them at the pipeline's {@link Precision}.
 */
public enum ModelType implements ModelProvider {
    ISOLATION_FOREST("isolation_forest") {
        @Override
        public DetectorFactory configure(Params p) {
            IsolationForest.Builder b = IsolationForest.builder();
            p.intValue("num_trees", b::numTrees)
                    .intValue("window_size", b::windowSize)
                    .intValue("sample_size", b::sampleSize)
                    .intValue("max_leaf_samples", b::maxLeafSamples)
                    .longValue("seed", b::seed)
                    .finish(configName(), b::validate);
            b.precision(p.precision());
            return DetectorFactory.of(b.settings(), b::build);
        }
    },
    KNN("knn", "scaler") {
        @Override
        public DetectorFactory configure(Params p) {
            KnnDetector.Builder b = KnnDetector.builder();
            p.intValue("k", b::k)
                    .intValue("window_size", b::windowSize)
                    .ignored("seed")
                    .finish(configName(), b::validate);
            b.precision(p.precision());
            return DetectorFactory.of(b.settings(), b::build);
        }
    },
    ADAPTIVE_SVM("adaptive_svm", "scaler") {
        @Override
        public DetectorFactory configure(Params p) {
            AdaptiveOneClassSvm.Builder b = AdaptiveOneClassSvm.builder();
            p.doubleValue("nu", b::nu)
                    .intValue("buffer_size", b::bufferSize)
                    .intValue("sv_budget", b::svBudget)
                    .doubleValue("adaptation_rate", b::adaptationRate)
                    .longValue("seed", b::seed)
                    .finish(configName(), b::validate);
            b.precision(p.precision());
            return DetectorFactory.of(b.settings(), b::build);
        }
    },
    ZSCORE("zscore") {
        @Override
        public DetectorFactory configure(Params p) {
            p.ignored("seed").finish(configName(), () -> { });
            return DetectorFactory.of("", ZScoreDetector::new);
        }
    },
    RANDOM_CUT_FOREST("random_cut_forest") {
        @Override
        public DetectorFactory configure(Params p) {
            RandomCutForestDetector.Builder b = RandomCutForestDetector.builder();
            p.intValue("num_trees", b::numTrees)
                    .intValue("sample_size", b::sampleSize)
                    .longValue("seed", b::seed)
                    .finish(configName(), b::validate);
            return DetectorFactory.of(b.settings(), b::build);
        }
    };

    private final String configName;
    private final List<String> recommendedPreprocessing;

    ModelType(String configName, String... recommendedPreprocessing) {
        this.configName = configName;
        this.recommendedPreprocessing = List.of(recommendedPreprocessing);
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The transforms this model should have in front of it: {@code scaler} for the distance-based ones. */
    @Override
    public List<String> recommendedPreprocessing() {
        return recommendedPreprocessing;
    }

    /**
     * Chosen on NAB-dev in likelihood mode (warm-ups of 0 to 250 points, docs/models.md "Warm-up"): the shortest
     * within reach of the best. The forests and knn need their windows a little fuller than the others.
     */
    @Override
    public int warmup() {
        return switch (this) {
            case ISOLATION_FOREST, KNN -> 150;
            case ADAPTIVE_SVM, ZSCORE, RANDOM_CUT_FOREST -> 100;
        };
    }

    /** The parameter names this model reads. */
    public Set<String> parameterNames() {
        Params params = new Params("", Map.of());
        configure(params);
        return params.names();
    }

    /** Reads and validates the parameters; errors name the full key. */
    @Override
    public abstract DetectorFactory configure(Params params);
}
