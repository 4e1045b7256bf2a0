package dev.vigil.detect.pipeline;

import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorFactory;
import dev.vigil.detect.ModelProvider;
import dev.vigil.detect.Params;
import dev.vigil.detect.Precision;
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
import dev.vigil.detect.state.StateFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in models, by the names the reference configuration uses ({@code vigil.model.type}), how each reads
 * its parameters ({@code vigil.model.params.*}) and how its detectors are checkpointed. Every model accepts
 * {@code seed}, so a configuration stays valid when the model type changes; the ones without randomness ignore
 * it. The models that keep windows of points (isolation_forest, knn, adaptive_svm) keep them at the pipeline's
 * {@link Precision}.
 */
public enum ModelType implements ModelProvider {
    ISOLATION_FOREST("isolation_forest", StateFormat.of(IsolationForest.class, new IsolationForestStateMapper(),
            new IsolationForestStateCodec())) {
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
    KNN("knn", StateFormat.of(KnnDetector.class, new KnnStateMapper(), new KnnStateCodec()), "scaler") {
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
    ADAPTIVE_SVM("adaptive_svm", StateFormat.of(AdaptiveOneClassSvm.class, new AdaptiveOneClassSvmStateMapper(),
            new AdaptiveOneClassSvmStateCodec()), "scaler") {
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
    ZSCORE("zscore", StateFormat.of(ZScoreDetector.class, new ZScoreStateMapper(), new ZScoreStateCodec())) {
        @Override
        public DetectorFactory configure(Params p) {
            p.ignored("seed").finish(configName(), () -> { });
            return DetectorFactory.of("", ZScoreDetector::new);
        }
    },
    RANDOM_CUT_FOREST("random_cut_forest", StateFormat.of(RandomCutForestDetector.class,
            new RandomCutForestDetectorStateMapper(), new RandomCutForestDetectorStateCodec())) {
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
    private final StateFormat<Detector> stateFormat;
    private final List<String> recommendedPreprocessing;

    ModelType(String configName, StateFormat<Detector> stateFormat, String... recommendedPreprocessing) {
        this.configName = configName;
        this.stateFormat = stateFormat;
        this.recommendedPreprocessing = List.of(recommendedPreprocessing);
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The model's State, mapper and codec: a restored detector scores exactly as the one that wrote it. */
    @Override
    public StateFormat<Detector> stateFormat() {
        return stateFormat;
    }

    /** The transforms this model should have in front of it: {@code scaler} for the distance-based ones. */
    @Override
    public List<String> recommendedPreprocessing() {
        return recommendedPreprocessing;
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
