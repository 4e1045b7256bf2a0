package dev.vigil.detect;

import dev.vigil.detect.state.Stateful;
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
     * effective setting ({@link DetectorFactory#of}), and its detectors checkpoint their state ({@link Stateful}).
     */
    DetectorFactory configure(Params params);

    /**
     * How many points a new key's model needs before its scores mean what they say: until then its results are
     * marked warm-up and graded low ({@code vigil.warmup.points} overrides it).
     */
    default int warmup() {
        return 150;
    }

    /** The transforms this model should have in front of it. */
    default List<String> recommendedPreprocessing() {
        return List.of();
    }
}
