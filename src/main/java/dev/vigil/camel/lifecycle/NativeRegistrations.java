package dev.vigil.camel.lifecycle;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes the YAML routes name as text, which Camel or a client library loads by name at run time: the exception
 * types of {@code doCatch}, the Kafka consumer's partition assignor. A native image must keep them loadable
 * ({@code NativeReadinessTest} checks every class name in routes/*.yaml is here). Beans the routes call are
 * registered where they are declared.
 */
@RegisterForReflection(targets = Exception.class,
        classNames = "org.apache.kafka.clients.consumer.CooperativeStickyAssignor")
final class NativeRegistrations {
    private NativeRegistrations() {
    }
}
