package dev.vigil.service.entity;

import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.KeyGrading;
import dev.vigil.detect.grade.ScoreRanks;
import dev.vigil.detect.grade.Severity;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.service.checkpoint.Checkpoints;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.DetectorState;
import dev.vigil.service.point.Explanation;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.Result;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * Scores batches with each entity's pipeline (the configured model), or with its fallback (a z-score unless
 * {@code vigil.fallback.model} says otherwise) when the circuit breaker says so. The fallback learns every point
 * the pipeline learns, so it is warm when needed. Results of {@code vigil.explain.min-severity} and above carry an
 * {@link Explanation}, taken before the point is learned; the others cost no more than a score.
 */
@ApplicationScoped
public class DetectionService {
    private final DetectionSettings settings;
    private final EntityRegistry entities;
    private final Checkpoints checkpoints;
    private final DriftWatch drift;
    private final String model;
    private final String fallbackModel;

    public DetectionService(DetectionSettings settings, EntityRegistry entities, Checkpoints checkpoints) {
        this(settings, entities, checkpoints, DriftWatch.off());
    }

    @Inject
    public DetectionService(DetectionSettings settings, EntityRegistry entities, Checkpoints checkpoints,
            DriftWatch drift) {
        this.settings = settings;
        this.entities = entities;
        this.checkpoints = checkpoints;
        this.drift = drift;
        this.model = settings.spec().modelType().configName();
        this.fallbackModel = settings.fallback().modelType().configName();
    }

    /** Whether a repeat of an event goes to the normal sink ({@code vigil.events.repeats=normal}). */
    public boolean repeatsToNormal() {
        return settings.repeatsToNormal();
    }

    /** Scores and learns every point with its entity's pipeline. Throws if the model fails. */
    public List<Result> score(PointBatch batch) {
        return score(batch.points());
    }

    /**
     * Scores and learns {@code points} with their entities' pipelines, each key's points in their order; the results
     * are in the points' order. Callers may score disjoint sets of keys at once. Throws if the model fails.
     */
    public List<Result> score(List<DataPoint> points) {
        Severity explainFrom = settings.explainFrom();
        return scoreByEntity(points, (entity, run, results) -> {
            boolean checkpointDue;
            long grown;
            synchronized (entity) {
                Pipeline pipeline = pipelineOf(entity);
                KeyGrading keyGrading = gradingOf(entity);
                ExplainGate explain = new ExplainGate(keyGrading, explainFrom);
                double[] shares = new double[entity.schema.names().length];
                for (DataPoint p : run) {
                    explain.values = p.values();
                    double score = pipeline.scoreLearn(p.values(), explain, shares);
                    KeyGrading.Grade g = keyGrading.grade(score, p.values());
                    results.add(new Result(p, score, g.rarity(), g.severity(), g.anomaly(), model,
                            DetectorState.HEALTHY, null, explanation(pipeline, g.severity(), explainFrom, p, shares),
                            g));
                    if (!g.warmup()) {
                        drift.observe(entity, score, p.values());
                    }
                }
                checkpointDue = entity.learned(run.size(), checkpoints);
                // Pipelines grow as they learn (windows, trees): the memory budget follows.
                long bytes = pipeline.sizeInBytes() + keyGrading.sizeInBytes()
                        + (entity.drift == null ? 0 : entity.drift.sizeInBytes());
                grown = bytes - entity.reportedBytes;
                entity.reportedBytes = bytes;
            }
            entities.pipelineResized(entity, grown);
            synchronized (entity.fallbackLock) {
                Pipeline fallback = fallbackOf(entity);
                for (DataPoint p : run) {
                    fallback.learn(p.values());
                }
            }
            if (checkpointDue) {
                checkpoints.save(entity);
            }
        });
    }

    /** Scores and learns every point with its entity's fallback; results are marked degraded. */
    public List<Result> fallback(PointBatch batch, String reason) {
        Grading grading = settings.grading();
        Severity explainFrom = settings.explainFrom();
        DoublePredicate explain = s -> grading.severity(s, Double.NaN).compareTo(explainFrom) >= 0;
        return scoreByEntity(batch.points(), (entity, run, results) -> {
            synchronized (entity.fallbackLock) {
                Pipeline fallback = fallbackOf(entity);
                double[] shares = new double[entity.schema.names().length];
                for (DataPoint p : run) {
                    // The fallback's scores are of another model: they have no rank among the pipeline's.
                    double score = fallback.scoreLearn(p.values(), explain, shares);
                    Severity severity = grading.severity(score, Double.NaN);
                    results.add(new Result(p, score, Double.NaN, severity, grading.isAnomaly(score, Double.NaN),
                            fallbackModel, DetectorState.DEGRADED, reason, explanation(fallback, severity, explainFrom,
                                    p, shares)));
                }
            }
        });
    }

    /** What {@code scoreLearn} wrote into {@code shares} for {@code p}, or null when it explained nothing. */
    private static Explanation explanation(Pipeline pipeline, Severity severity, Severity explainFrom, DataPoint p,
            double[] shares) {
        return pipeline.explainable() && severity.compareTo(explainFrom) >= 0 ? Explanation.of(p.names(), shares.clone())
                : null;
    }

    /**
     * Whether the point being scored will be graded at or above the severity from which results are explained:
     * decided on its score before the model learns it, so only those points pay for an explanation.
     */
    private static final class ExplainGate implements DoublePredicate {
        private final KeyGrading grading;
        private final Severity from;
        double[] values;

        ExplainGate(KeyGrading grading, Severity from) {
            this.grading = grading;
            this.from = from;
        }

        @Override
        public boolean test(double score) {
            return grading.severityOf(score, values).compareTo(from) >= 0;
        }
    }

    /** Scores one run of consecutive points of the same entity, adding a result per point. */
    private interface RunScorer {
        void score(EntityRegistry.Entity entity, List<DataPoint> run, List<Result> results);
    }

    /**
     * Scores each key's points as one run, its entity looked up and locked once per batch rather than once per point:
     * metric streams interleave their keys point by point. A key's points keep their order, and the results are put
     * back in the points' order.
     */
    private List<Result> scoreByEntity(List<DataPoint> points, RunScorer scorer) {
        Map<String, KeyRun> runs = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            DataPoint p = points.get(i);
            runs.computeIfAbsent(p.key(), k -> new KeyRun()).add(p, i);
        }
        Result[] ordered = new Result[points.size()];
        List<Result> results = new ArrayList<>();
        for (KeyRun run : runs.values()) {
            results.clear();
            scorer.score(entities.entity(run.points.get(0).key(), run.points.get(0).names()), run.points, results);
            for (int i = 0; i < results.size(); i++) {
                ordered[run.positions[i]] = results.get(i);
            }
        }
        return Arrays.asList(ordered);
    }

    /** One key's points of a batch, with where each stood in it. */
    private static final class KeyRun {
        final List<DataPoint> points = new ArrayList<>(4);
        int[] positions = new int[4];

        void add(DataPoint p, int position) {
            if (points.size() == positions.length) {
                positions = Arrays.copyOf(positions, 2 * positions.length);
            }
            positions[points.size()] = position;
            points.add(p);
        }
    }

    /** Every point marked failed: neither the model nor the fallback could score it. */
    public static List<Result> failed(PointBatch batch, String reason) {
        List<Result> results = new ArrayList<>(batch.points().size());
        for (DataPoint p : batch.points()) {
            results.add(new Result(p, Double.NaN, Double.NaN, Severity.LOW, false, "none", DetectorState.FAILED,
                    reason));
        }
        return results;
    }

    private Pipeline pipelineOf(EntityRegistry.Entity entity) {
        if (entity.pipeline == null) {
            entity.pipeline = settings.spec().newPipeline(entity.schema.names().length);
        }
        return entity.pipeline;
    }

    private KeyGrading gradingOf(EntityRegistry.Entity entity) {
        if (entity.grading == null) {
            entity.grading = settings.newGrading(new ScoreRanks(settings.rarityWindow()),
                    entity.schema.names().length);
        }
        return entity.grading;
    }

    private Pipeline fallbackOf(EntityRegistry.Entity entity) {
        if (entity.fallback == null) {
            entity.fallback = settings.fallback().newPipeline(entity.schema.names().length);
        }
        return entity.fallback;
    }

}
