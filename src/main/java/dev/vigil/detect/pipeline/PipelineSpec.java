package dev.vigil.detect.pipeline;

import dev.vigil.detect.DetectorFactory;
import dev.vigil.detect.ModelProvider;
import dev.vigil.detect.Params;
import dev.vigil.detect.Precision;
import dev.vigil.detect.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A validated pipeline configuration: the model type and parameters, and the ordered transforms with theirs.
 * Parsing checks everything that does not depend on the data, so a bad configuration fails at start-up with
 * the key at fault; {@link #newPipeline} then builds one pipeline per entity once its dimension is known.
 * Immutable and safe to share between threads.
 */
public final class PipelineSpec {
    private final ModelProvider modelType;
    private final DetectorFactory model;
    private final List<TransformType> transformTypes;
    private final List<TransformType.TransformFactory> transforms;
    private final Precision precision;

    private PipelineSpec(ModelProvider modelType, DetectorFactory model, List<TransformType> transformTypes,
            List<TransformType.TransformFactory> transforms, Precision precision) {
        this.modelType = modelType;
        this.model = model;
        this.transformTypes = List.copyOf(transformTypes);
        this.transforms = List.copyOf(transforms);
        this.precision = precision;
    }

    /**
     * Where each part of a pipeline configuration comes from, for error messages: the key of the model type,
     * the prefix of model parameters, the key of the transform list, and the prefix of transform parameters
     * (followed by the transform name and a dot).
     */
    public record Keys(String modelType, String modelParam, String preprocessing, String transformParam) {
        /** The keys of a properties file under {@code prefix}, e.g. {@code vigil.model.type}. */
        public static Keys under(String prefix) {
            return new Keys(prefix + "model.type", prefix + "model.params.", prefix + "preprocessing",
                    prefix + "transform.");
        }
    }

    /** As {@link #parse(Keys, String, Map, List, Map, Precision)} with {@link Precision#DEFAULT}. */
    public static PipelineSpec parse(Keys keys, String modelType, Map<String, String> modelParams,
            List<String> preprocessing, Map<String, Map<String, String>> transformParams) {
        return parse(keys, modelType, modelParams, preprocessing, transformParams, Precision.DEFAULT);
    }

    /**
     * @param modelType       the model's name, e.g. {@code isolation_forest}
     * @param modelParams     its parameters by name
     * @param preprocessing   transform names, in order
     * @param transformParams transform parameters, by transform name then parameter name
     * @param precision       how the models that keep windows of points keep them
     */
    public static PipelineSpec parse(Keys keys, String modelType, Map<String, String> modelParams,
            List<String> preprocessing, Map<String, Map<String, String>> transformParams, Precision precision) {
        ModelProvider type = Models.byName(keys.modelType(), modelType);
        DetectorFactory model = type.configure(new Params(keys.modelParam(), modelParams, precision));
        for (String name : transformParams.keySet()) {
            TransformType.byName(keys.transformParam() + name, name);
        }
        List<TransformType> types = new ArrayList<>();
        List<TransformType.TransformFactory> factories = new ArrayList<>();
        for (String name : preprocessing) {
            TransformType t = TransformType.byName(keys.preprocessing(), name);
            Map<String, String> params = transformParams.getOrDefault(t.configName(), Map.of());
            types.add(t);
            factories.add(t.configure(new Params(keys.transformParam() + t.configName() + ".", params, precision)));
        }
        return new PipelineSpec(type, model, types, factories, precision);
    }

    /** A fresh pipeline for points of {@code dimensions} features. */
    public Pipeline newPipeline(int dimensions) {
        Transform[] stages = new Transform[transforms.size()];
        int width = dimensions;
        for (int i = 0; i < stages.length; i++) {
            stages[i] = transforms.get(i).create(width);
            width = stages[i].outputDimensions();
        }
        return new Pipeline(this, dimensions, stages, model.create(width));
    }

    public ModelProvider modelType() {
        return modelType;
    }

    public List<TransformType> preprocessing() {
        return transformTypes;
    }

    public Precision precision() {
        return precision;
    }

    /**
     * Everything the layout and meaning of a pipeline checkpoint depend on besides the point dimension, as one
     * canonical, stable string: the state format, each transform in order and the model, each with every effective
     * setting, defaults included (the precision appears with the models that keep points at it). Specs whose
     * pipelines can exchange checkpoints have equal fingerprints; a change that would make a checkpoint wrong
     * changes it. For example {@code vigil-state/1 scaler() | knn(k=10,precision=float32,window_size=1000)}.
     */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder("vigil-state/").append(PipelineStateFormat.VERSION).append(' ');
        for (int i = 0; i < transforms.size(); i++) {
            sb.append(transformTypes.get(i).configName()).append('(').append(transforms.get(i).settings())
                    .append(") | ");
        }
        return sb.append(modelType.configName()).append('(').append(model.settings()).append(')').toString();
    }

    /** The stages by name, e.g. {@code scaler | pca | isolation_forest}. */
    public String description() {
        StringBuilder sb = new StringBuilder();
        for (TransformType t : transformTypes) {
            sb.append(t.configName()).append(" | ");
        }
        return sb.append(modelType.configName()).toString();
    }
}
