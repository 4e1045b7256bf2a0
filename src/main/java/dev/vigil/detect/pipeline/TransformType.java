package dev.vigil.detect.pipeline;

import dev.vigil.detect.DetectorFactory;
import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.detect.Params;
import dev.vigil.detect.Transform;
import dev.vigil.detect.state.StateFormat;
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
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/** The transforms a pipeline can put in front of its model ({@code vigil.preprocessing}), by name. */
public enum TransformType {
    SCALER("scaler", StateFormat.of(StandardScaler.class, new StandardScalerStateMapper(),
            new StandardScalerStateCodec())) {
        @Override
        TransformFactory configure(Params p) {
            p.finish(configName(), () -> { });
            return TransformFactory.of("", StandardScaler::new);
        }
    },
    PCA("pca", StateFormat.of(IncrementalPca.class, new IncrementalPcaStateMapper(), new IncrementalPcaStateCodec())) {
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
    SHINGLE("shingle", StateFormat.of(ShingleTransform.class, new ShingleTransformStateMapper(),
            new ShingleTransformStateCodec())) {
        @Override
        TransformFactory configure(Params p) {
            ShingleTransform.Builder b = ShingleTransform.builder();
            p.intValue("size", b::size).finish(configName(), b::validate);
            return TransformFactory.of(b.settings(), b::build);
        }
    },
    DELTA("delta", StateFormat.of(DeltaTransform.class, new DeltaTransformStateMapper(),
            new DeltaTransformStateCodec())) {
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
    private final StateFormat<Transform> stateFormat;

    TransformType(String configName, StateFormat<Transform> stateFormat) {
        this.configName = configName;
        this.stateFormat = stateFormat;
    }

    public String configName() {
        return configName;
    }

    /** How the transforms of this type are checkpointed: their State, mapper and codec. */
    public StateFormat<Transform> stateFormat() {
        return stateFormat;
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
