package dev.vigil.detect;

import java.util.function.IntFunction;

/** Makes detectors of one validated configuration; safe to call from any thread. */
public interface DetectorFactory {

    /** A new detector for points of {@code dimensions} features. */
    Detector create(int dimensions);

    /**
     * Every effective setting of the detectors made, defaults included, canonical: {@code name=value} pairs sorted
     * by name and comma-separated, empty when there are none. Equal for configurations whose detectors can exchange
     * checkpoints, different after any change that would make a checkpoint wrong (see
     * {@code PipelineSpec.fingerprint()}).
     */
    String settings();

    /** A factory whose detectors have {@code settings} and are made by {@code create}. */
    static DetectorFactory of(String settings, IntFunction<Detector> create) {
        return new DetectorFactory() {
            @Override
            public Detector create(int dimensions) {
                return create.apply(dimensions);
            }

            @Override
            public String settings() {
                return settings;
            }
        };
    }
}
