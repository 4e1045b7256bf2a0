package dev.vigil.camel.pipeline;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/** For {@code enrich}: the side route's result is dropped and the main exchange goes on unchanged. */
@ApplicationScoped
@Named("keepOriginal")
@RegisterForReflection
public class KeepOriginal implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange original, Exchange resource) {
        if (resource != null && resource.getException() != null) {
            original.setException(resource.getException());
        }
        return original;
    }
}
