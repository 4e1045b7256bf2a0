package dev.vigil.detect.pipeline;

import dev.vigil.detect.DetectorFactory;
import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.detect.Params;
import dev.vigil.detect.Transform;
import dev.vigil.detect.transform.DeltaTransform;
import dev.vigil.detect.transform.IncrementalPca;
import dev.vigil.detect.transform.ShingleTransform;
import dev.vigil.detect.transform.StandardScaler;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/** The transforms a pipeline can put in front of its model ({@code vigil.preprocessing}), by name. */
public enum TransformType {
    SCALER("scaler") {
        @Override
        TransformFactory configure(Params p) {
            p.finish(configName(), () -> { });
            return TransformFactory.of("", StandardScaler::new);
        }
    },
    PCA("pca") {
        @Override
        TransformFactory configure(Params p) {
            IncrementalPca.Builder b = IncrementalPca.builder();
            p.intValue("n_components", b::nComponents)
                    .intValue("batch_size", b::batchSize)
                    .finish(configName(), b::validate);
            Set<Integer> warned = ConcurrentHashMap.newKeySet();
            return TransformFactory.of(b.settings(), dimensions -> {
                if (b.nComponents() > dimensions && warned.add(dimensions)) {
                    LOG.log(Level.WARNING, "pca n_components " + b.nComponents() + " exceeds the " + dimensions
                            + " features it receives; using " + dimensions);
                }
                return b.build(dimensions);
            });
        }
    },
    SHINGLE("shingle") {
        @Override
        TransformFactory configure(Params p) {
            ShingleTransform.Builder b = ShingleTransform.builder();
            p.intValue("size", b::size).finish(configName(), b::validate);
            return TransformFactory.of(b.settings(), b::build);
        }
    },
    DELTA("delta") {
        @Override
        TransformFactory configure(Params p) {
            DeltaTransform.Builder b = DeltaTransform.builder();
            p.booleanValue("counter", b::counter).finish(configName(), () -> { });
            return TransformFactory.of(b.settings(), b::build);
        }
    };

    /** Makes transforms of one validated configuration; safe to call from any thread. */
    public interface TransformFactory {
        Transform create(int inputDimensions);

        /** Every setting, canonical, as {@link DetectorFactory#settings()}. */
        String settings();

        static TransformFactory of(String settings, IntFunction<Transform> create) {
            return new TransformFactory() {
                @Override
                public Transform create(int inputDimensions) {
                    return create.apply(inputDimensions);
                }

                @Override
                public String settings() {
                    return settings;
                }
            };
        }
    }

    private static final System.Logger LOG = System.getLogger(TransformType.class.getName());

    private final String configName;

    TransformType(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    abstract TransformFactory configure(Params params);

    public static TransformType byName(String key, String name) {
        for (TransformType type : values()) {
            if (type.configName.equals(name == null ? null : name.trim())) {
                return type;
            }
        }
        throw new InvalidConfigurationException(key, "unknown transform '" + name + "'; allowed: "
                + Arrays.stream(values()).map(TransformType::configName).collect(Collectors.joining(", ")));
    }
}
