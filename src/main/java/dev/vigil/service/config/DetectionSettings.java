package dev.vigil.service.config;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.detect.Precision;
import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.Severity;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.PipelineSpec;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
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
    private final Grading grading;
    private final int rarityWindow;
    private final Severity explainFrom;

    @Inject
    public DetectionSettings(VigilConfig config) {
        this(from(config), fallbackFrom(config), gradingFrom(config), rarityWindowFrom(config),
                config.explain().minSeverity());
        Thresholds t = grading.mode() == Grading.Mode.FIXED ? grading.scores() : grading.rarities();
        LOG.infof("Detection pipeline: %s (fallback %s), windows in %s; %s thresholds medium %s, high %s, "
                + "critical %s, anomaly %s; results from %s severity up carry a per-feature explanation",
                spec.description(), fallback.description(), spec.precision().configName(), grading.mode().configName(),
                t.medium(), t.high(), t.critical(), t.anomaly(), explainFrom.label());
    }

    public DetectionSettings(PipelineSpec spec, PipelineSpec fallback, Grading grading, int rarityWindow) {
        this(spec, fallback, grading, rarityWindow, Severity.MEDIUM);
    }

    public DetectionSettings(PipelineSpec spec, PipelineSpec fallback, Grading grading, int rarityWindow,
            Severity explainFrom) {
        this.spec = spec;
        this.fallback = fallback;
        this.grading = grading;
        this.rarityWindow = rarityWindow;
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

    static Grading gradingFrom(VigilConfig config) {
        VigilConfig.ThresholdsConfig t = config.thresholds();
        VigilConfig.ThresholdsConfig.Rarity r = t.rarity();
        return new Grading(modeFrom(t.mode()), Thresholds.of(PREFIX + "thresholds", t.medium(), t.high(), t.critical(), t.anomaly()),
                Thresholds.of(PREFIX + "thresholds.rarity", r.medium(), r.high(), r.critical(), r.anomaly()));
    }

    private static Grading.Mode modeFrom(String name) {
        for (Grading.Mode m : Grading.Mode.values()) {
            if (m.configName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new InvalidConfigurationException(PREFIX + "thresholds.mode", "unknown mode '" + name
                + "'; allowed: fixed, quantile");
    }

    static int rarityWindowFrom(VigilConfig config) {
        int window = config.thresholds().rarity().window();
        if (window < 100) {
            throw new InvalidConfigurationException(PREFIX + "thresholds.rarity.window", "must be at least 100, was "
                    + window);
        }
        return window;
    }

    public PipelineSpec spec() {
        return spec;
    }

    /** The fallback's spec: a model with its defaults, no transforms. */
    public PipelineSpec fallback() {
        return fallback;
    }

    public Grading grading() {
        return grading;
    }

    /** Scores per generation of each key's {@link dev.vigil.detect.grade.ScoreRanks}. */
    public int rarityWindow() {
        return rarityWindow;
    }

    /** The lowest severity whose results are explained ({@code vigil.explain.min-severity}). */
    public Severity explainFrom() {
        return explainFrom;
    }
}
