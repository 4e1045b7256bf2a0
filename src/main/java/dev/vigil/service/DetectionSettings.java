package dev.vigil.service;

import dev.vigil.detect.PipelineSpec;
import dev.vigil.detect.Precision;
import dev.vigil.detect.Severity;
import dev.vigil.detect.Thresholds;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The validated detection configuration: pipeline spec and thresholds. Built eagerly at start-up, so an
 * unknown model, transform or parameter, or a bad value, stops the service before any route consumes, with a
 * message naming the key and what is allowed.
 */
@Startup
@ApplicationScoped
public class DetectionSettings {
    private static final Logger LOG = Logger.getLogger(DetectionSettings.class);
    private static final String PREFIX = "vigil.";

    private final PipelineSpec spec;
    private final PipelineSpec fallback;
    private final Thresholds thresholds;
    private final Severity explainFrom;

    @Inject
    public DetectionSettings(VigilConfig config) {
        this(from(config), fallbackFrom(config), thresholdsFrom(config), config.explain().minSeverity());
        LOG.infof("Detection pipeline: %s (fallback %s), windows in %s; thresholds medium %.2f, high %.2f, "
                + "critical %.2f, anomaly %.2f", spec.description(), fallback.description(),
                spec.precision().configName(), thresholds.medium(), thresholds.high(), thresholds.critical(),
                thresholds.anomaly());
        LOG.infof("Results from %s severity up carry a per-feature explanation", explainFrom.label());
    }

    DetectionSettings(PipelineSpec spec, PipelineSpec fallback, Thresholds thresholds) {
        this(spec, fallback, thresholds, Severity.MEDIUM);
    }

    DetectionSettings(PipelineSpec spec, PipelineSpec fallback, Thresholds thresholds, Severity explainFrom) {
        this.spec = spec;
        this.fallback = fallback;
        this.thresholds = thresholds;
        this.explainFrom = explainFrom;
    }

    static PipelineSpec fallbackFrom(VigilConfig config) {
        return PipelineSpec.parse(new PipelineSpec.Keys(PREFIX + "fallback.model", PREFIX + "fallback.model.",
                PREFIX + "fallback", PREFIX + "fallback."), config.fallback().model(), Map.of(), List.of(), Map.of(),
                precisionFrom(config));
    }

    static PipelineSpec from(VigilConfig config) {
        return PipelineSpec.parse(PipelineSpec.Keys.under(PREFIX), config.model().type(), config.model().params(),
                config.preprocessing().orElse(List.of()), config.transform(), precisionFrom(config));
    }

    static Precision precisionFrom(VigilConfig config) {
        return Precision.byName(PREFIX + "memory.precision", config.memory().precision());
    }

    static Thresholds thresholdsFrom(VigilConfig config) {
        VigilConfig.ThresholdsConfig t = config.thresholds();
        return Thresholds.of(PREFIX, t.medium(), t.high(), t.critical(), t.anomaly());
    }

    public PipelineSpec spec() {
        return spec;
    }

    /** The fallback's spec: a model with its defaults, no transforms. */
    public PipelineSpec fallback() {
        return fallback;
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    /** The lowest severity whose results are explained ({@code vigil.explain.min-severity}). */
    public Severity explainFrom() {
        return explainFrom;
    }
}
