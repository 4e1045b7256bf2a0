package dev.vigil.detect;

import dev.vigil.detect.state.StateFormat;
import java.util.List;

/**
 * A model Vigil can run, known by its configuration name. The built-in models are {@code ModelType}; others
 * (a site's own model, or a test double) register through {@link java.util.ServiceLoader} in
 * {@code META-INF/services/dev.vigil.detect.ModelProvider} and are then selected by name like the built-ins.
 */
public interface ModelProvider {

    /** The name in {@code vigil.model.type}. */
    String configName();

    /**
     * Reads and validates the parameters; errors name the full key (see {@link Params}). The factory names every
     * effective setting ({@link DetectorFactory#of}).
     */
    DetectorFactory configure(Params params);

    /**
     * How many points a new key's model needs before its scores mean what they say: until then its results are
     * marked warm-up and graded low ({@code vigil.warmup.points} overrides it). 100 for every built-in model, by
     * measurement (docs/models.md, "Warm-up": the longer of the shortest warm-up within 1 point of the model's best
     * NAB-dev score, and the points during which a new key's model does not answer yet or reaches critical more
     * often than later); a provider's own model can say otherwise.
     */
    default int warmup() {
        return 100;
    }

    /**
     * How this model's detectors are checkpointed. The built-in models map a detector to its State and write that
     * with a codec ({@link StateFormat#of}, from their {@code XxxStateMapper} and {@code XxxStateCodec}), so a
     * restored detector scores exactly as the one that wrote the checkpoint; a provider's own model can do the
     * same. By default a detector keeps nothing across a restore: its part of the checkpoint is a header naming
     * the model ({@link StateFormat#stateless}), and after a restart it starts afresh, as a new key does, while the
     * transforms in front of it, the fallback and the score ranks are restored.
     */
    default StateFormat<Detector> stateFormat() {
        return StateFormat.stateless(configName() + "/stateless");
    }

    /** The transforms this model should have in front of it. */
    default List<String> recommendedPreprocessing() {
        return List.of();
    }
}
