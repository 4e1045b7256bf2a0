package dev.vigil.camel.pipeline;

import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Batching of single-point deliveries: {@link #byEntity} splits a delivery into one batch per entity key, and
 * as an {@link AggregationStrategy} this bean merges the batches of one key ({@link #entityKey}) until the
 * aggregator completes them: {@code vigil.batch.size} points ({@link #isComplete}) or {@code vigil.batch.timeout}.
 */
@ApplicationScoped
@Named("batching")
@RegisterForReflection
public class Batching implements AggregationStrategy {
    private final int batchSize;

    @Inject
    public Batching(VigilConfig config) {
        this.batchSize = config.batch().size();
    }

    public List<PointBatch> byEntity(PointBatch batch) {
        Map<String, List<DataPoint>> byKey = new LinkedHashMap<>();
        for (DataPoint p : batch.points()) {
            byKey.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
        }
        List<PointBatch> batches = new ArrayList<>(byKey.size());
        byKey.values().forEach(points -> batches.add(PointBatch.ofPoints(batch.source(), batch.client(), points)));
        return batches;
    }

    /** The aggregator's correlation: the one key of a batch {@link #byEntity} made. */
    public String entityKey(PointBatch batch) {
        return batch.entityKey();
    }

    /** The aggregator's completion: a full batch. */
    public boolean isComplete(PointBatch batch) {
        return batch.points().size() >= batchSize;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null) {
            return newExchange;
        }
        oldExchange.getMessage().getBody(PointBatch.class).absorb(newExchange.getMessage().getBody(PointBatch.class));
        return oldExchange;
    }
}
