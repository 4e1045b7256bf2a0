package dev.vigil.service.config;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.detect.Precision;
import dev.vigil.detect.grade.Grading;
import dev.vigil.detect.grade.KeyGrading;
import dev.vigil.detect.grade.ScoreRanks;
import dev.vigil.detect.grade.Severity;
import dev.vigil.detect.grade.Thresholds;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.detect.pipeline.Preset;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
    /** {@code vigil.model.type} when neither it nor a preset names one. */
    public static final String DEFAULT_MODEL = "isolation_forest";

    private final PipelineSpec spec;
    private final PipelineSpec fallback;
    private final Grading grading;
    private final int rarityWindow;
    private final Severity explainFrom;
    private final int warmup;
    private final int eventGap;
    private final boolean repeatsToNormal;

    @Inject
    public DetectionSettings(VigilConfig config) {
        this(from(config), fallbackFrom(config), gradingFrom(config), rarityWindowFrom(config),
                config.explain().minSeverity(), warmupFrom(config), eventGapFrom(config), repeatsToNormalFrom(config));
        Thresholds t = switch (grading.mode()) {
            case FIXED -> grading.scores();
            case QUANTILE -> grading.rarities();
            case LIKELIHOOD -> grading.likelihoods();
        };
        LOG.infof("Detection pipeline: %s (fallback %s)%s, windows in %s; %s thresholds medium %s, high %s, "
                + "critical %s, anomaly %s; a key's first %d results are warm-up; anomalies within %d points are "
                + "one event; results from %s severity up carry a per-feature explanation",
                spec.description(), fallback.description(),
                config.preset().map(p -> " from preset " + p).orElse(""), spec.precision().configName(),
                grading.mode().configName(), t.medium(), t.high(), t.critical(), t.anomaly(), warmup, eventGap,
                explainFrom.label());
    }

    public DetectionSettings(PipelineSpec spec, PipelineSpec fallback, Grading grading, int rarityWindow) {
        this(spec, fallback, grading, rarityWindow, Severity.MEDIUM);
    }

    /** The model's own warm-up, no events. */
    public DetectionSettings(PipelineSpec spec, PipelineSpec fallback, Grading grading, int rarityWindow,
            Severity explainFrom) {
        this(spec, fallback, grading, rarityWindow, explainFrom, spec.modelType().warmup(), 0, true);
    }

    /**
     * @param warmup          points a new key's results are warm-up for
     * @param eventGap        points after an anomaly within which the next joins its event (0: none)
     * @param repeatsToNormal whether a repeat of an event goes to the normal sink rather than its severity's
     */
    public DetectionSettings(PipelineSpec spec, PipelineSpec fallback, Grading grading, int rarityWindow,
            Severity explainFrom, int warmup, int eventGap, boolean repeatsToNormal) {
        this.spec = spec;
        this.fallback = fallback;
        this.grading = grading;
        this.rarityWindow = rarityWindow;
        this.explainFrom = explainFrom;
        this.warmup = warmup;
        this.eventGap = eventGap;
        this.repeatsToNormal = repeatsToNormal;
    }

    /** The preset named by {@code vigil.preset}, if any. */
    static Optional<Preset> presetFrom(VigilConfig config) {
        return config.preset().map(name -> Preset.byName(PREFIX + "preset", name));
    }

    static PipelineSpec fallbackFrom(VigilConfig config) {
        return PipelineSpec.parse(new PipelineSpec.Keys(PREFIX + "fallback.model", PREFIX + "fallback.model.",
                PREFIX + "fallback", PREFIX + "fallback."), config.fallback().model(), Map.of(), List.of(), Map.of(),
                precisionFrom(config));
    }

    /** The pipeline: model, transforms and their parameters as set, else as the preset has them, else defaults. */
    static PipelineSpec from(VigilConfig config) {
        Optional<Preset> preset = presetFrom(config);
        String model = config.model().type().orElse(preset.map(Preset::model).orElse(DEFAULT_MODEL));
        List<String> preprocessing = config.preprocessing()
                .orElse(preset.map(Preset::preprocessing).orElse(List.of()));
        Map<String, Map<String, String>> transformParams = new LinkedHashMap<>();
        preset.ifPresent(p -> p.transformParams().forEach((t, params) -> {
            if (preprocessing.contains(t)) {
                transformParams.put(t, new LinkedHashMap<>(params));
            }
        }));
        config.transform().forEach((t, params) -> transformParams.computeIfAbsent(t, k -> new LinkedHashMap<>())
                .putAll(params));
        return PipelineSpec.parse(PipelineSpec.Keys.under(PREFIX), model, config.model().params(), preprocessing,
                transformParams, precisionFrom(config));
    }

    static Precision precisionFrom(VigilConfig config) {
        return Precision.byName(PREFIX + "memory.precision", config.memory().precision());
    }

    static Grading gradingFrom(VigilConfig config) {
        VigilConfig.ThresholdsConfig t = config.thresholds();
        VigilConfig.ThresholdsConfig.Rarity r = t.rarity();
        VigilConfig.ThresholdsConfig.Likelihood l = t.likelihood();
        Grading.Mode mode = t.mode().map(DetectionSettings::modeFrom)
                .orElse(presetFrom(config).map(Preset::mode).orElse(Grading.Mode.FIXED));
        return new Grading(mode, Thresholds.of(PREFIX + "thresholds", t.medium(), t.high(), t.critical(), t.anomaly()),
                Thresholds.of(PREFIX + "thresholds.rarity", r.medium(), r.high(), r.critical(), r.anomaly()),
                Thresholds.of(PREFIX + "thresholds.likelihood", l.medium(), l.high(), l.critical(), l.anomaly()));
    }

    /** {@code vigil.warmup.points}, else the preset's, else the model's own. */
    static int warmupFrom(VigilConfig config) {
        int warmup = config.warmup().points().orElse(presetFrom(config).map(Preset::warmup)
                .orElse(from(config).modelType().warmup()));
        if (warmup < 0) {
            throw new InvalidConfigurationException(PREFIX + "warmup.points", "must be at least 0, was " + warmup);
        }
        return warmup;
    }

    /** {@code vigil.events.gap}, else the preset's, else 0 (every anomaly its own event). */
    static int eventGapFrom(VigilConfig config) {
        int gap = config.events().gap().orElse(presetFrom(config).map(Preset::eventGap).orElse(0));
        if (gap < 0) {
            throw new InvalidConfigurationException(PREFIX + "events.gap", "must be at least 0, was " + gap);
        }
        return gap;
    }

    static boolean repeatsToNormalFrom(VigilConfig config) {
        String to = config.events().repeats().trim().toLowerCase(Locale.ROOT);
        if (!to.equals("normal") && !to.equals("severity")) {
            throw new InvalidConfigurationException(PREFIX + "events.repeats", "unknown value '" + to
                    + "'; allowed: normal, severity");
        }
        return to.equals("normal");
    }

    private static Grading.Mode modeFrom(String name) {
        for (Grading.Mode m : Grading.Mode.values()) {
            if (m.configName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new InvalidConfigurationException(PREFIX + "thresholds.mode", "unknown mode '" + name
                + "'; allowed: fixed, quantile, likelihood");
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

    /** Points a new key's results are warm-up for ({@code vigil.warmup.points}). */
    public int warmup() {
        return warmup;
    }

    /** Points after an anomaly within which the key's next one joins its event ({@code vigil.events.gap}). */
    public int eventGap() {
        return eventGap;
    }

    /** Whether a repeat of an event goes to the normal sink ({@code vigil.events.repeats=normal}). */
    public boolean repeatsToNormal() {
        return repeatsToNormal;
    }

    /** A key's grading under these settings, over {@code ranks}, for points of {@code dimensions} features. */
    public KeyGrading newGrading(ScoreRanks ranks, int dimensions) {
        return new KeyGrading(grading, warmup, eventGap, ranks, dimensions);
    }

    /** The lowest severity whose results are explained ({@code vigil.explain.min-severity}). */
    public Severity explainFrom() {
        return explainFrom;
    }
}
