package dev.vigil.detect;

/** Makes detectors of one validated configuration; safe to call from any thread. */
@FunctionalInterface
public interface DetectorFactory {
    Detector create(int dimensions);
}
