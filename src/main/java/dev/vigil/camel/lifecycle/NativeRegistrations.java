package dev.vigil.camel.lifecycle;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes the YAML routes name as text (the exception types of {@code doCatch}), which Camel loads by name at
 * run time: a native image must keep them loadable. Beans the routes call are registered where they are declared.
 */
@RegisterForReflection(targets = Exception.class)
final class NativeRegistrations {
    private NativeRegistrations() {
    }
}
