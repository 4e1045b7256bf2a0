package dev.vigil.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code vigil.*} setting, one key per knob. Defaults live here and in the top-level
 * {@code application.properties}, which lists each key with a comment.
 */
@ConfigMapping(prefix = "vigil")
public interface VigilConfig {

    /** The detector model and its parameters. */
    Model model();

    /** Transforms in front of the model, in order: {@code scaler}, {@code pca}. None when unset. */
    Optional<List<String>> preprocessing();

    /** Transform parameters by transform name, e.g. {@code vigil.transform.pca.n_components=10}. */
    Map<String, Map<String, String>> transform();

    /** Score thresholds for severities and for {@code isAnomaly}. */
    ThresholdsConfig thresholds();

    interface Model {
        /** isolation_forest, knn, adaptive_svm, zscore or random_cut_forest. */
        @WithDefault("isolation_forest")
        String type();

        /** Model parameters by the reference names, e.g. {@code vigil.model.params.num_trees=100}. */
        Map<String, String> params();
    }

    interface ThresholdsConfig {
        /** Scores at or above this are at least medium severity. */
        @WithDefault("0.6")
        double medium();

        /** Scores at or above this are at least high severity. */
        @WithDefault("0.8")
        double high();

        /** Scores at or above this are critical. */
        @WithDefault("0.9")
        double critical();

        /** Scores at or above this are anomalies ({@code isAnomaly}). */
        @WithDefault("0.7")
        double anomaly();
    }
}
