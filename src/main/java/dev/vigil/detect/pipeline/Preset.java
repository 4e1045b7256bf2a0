package dev.vigil.detect.pipeline;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.detect.grade.Grading;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A ready configuration for one kind of data ({@code vigil.preset}): model, transforms, warm-up, severity mode and
 * event gap, each of which an explicit setting still overrides.
 *
 * <p>{@link #METRICS}, for metric streams (one key per host, sensor or service, a few features, in time order): the
 * best measured on NAB-dev (docs/models.md, "Time series"): the isolation forest over a 2-point shingle, graded
 * by anomaly likelihood, with the forest's warm-up and anomalies within 100 points of each other as one event.
 */
public enum Preset {
    METRICS("isolation_forest", List.of("shingle", "scaler"), Map.of("shingle", Map.of("size", "2")),
            Grading.Mode.LIKELIHOOD, 150, 100);

    private final String model;
    private final List<String> preprocessing;
    private final Map<String, Map<String, String>> transformParams;
    private final Grading.Mode mode;
    private final int warmup;
    private final int eventGap;

    Preset(String model, List<String> preprocessing, Map<String, Map<String, String>> transformParams,
            Grading.Mode mode, int warmup, int eventGap) {
        this.model = model;
        this.preprocessing = preprocessing;
        this.transformParams = transformParams;
        this.mode = mode;
        this.warmup = warmup;
        this.eventGap = eventGap;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The preset called {@code name}, or an error naming {@code key} and the presets there are. */
    public static Preset byName(String key, String name) {
        for (Preset p : values()) {
            if (p.configName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new InvalidConfigurationException(key, "unknown preset '" + name + "'; allowed: metrics");
    }

    public String model() {
        return model;
    }

    public List<String> preprocessing() {
        return preprocessing;
    }

    /** Transform parameters by transform name, then parameter name. */
    public Map<String, Map<String, String>> transformParams() {
        return transformParams;
    }

    public Grading.Mode mode() {
        return mode;
    }

    public int warmup() {
        return warmup;
    }

    public int eventGap() {
        return eventGap;
    }
}
