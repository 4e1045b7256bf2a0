package dev.vigil.service.monitor;

import java.time.Instant;

/**
 * An operational alert (the reference MonitoringService's alert types, and {@code drift}): what crossed which
 * threshold, when, and for an alert about one entity its key (null otherwise). Fired as a CDI event when raised,
 * at most once per type (per key, for drift) per cooldown; the route layer delivers it to {@code vigil.sink.alerts}.
 */
public record Alert(Type type, String message, double value, double threshold, Instant raisedAt, String key) {

    /** An alert about the service as a whole. */
    public Alert(Type type, String message, double value, double threshold, Instant raisedAt) {
        this(type, message, value, threshold, raisedAt, null);
    }

    public enum Type {
        SLOW_PROCESSING("slow_processing"),
        HIGH_ERROR_RATE("high_error_rate"),
        HIGH_ANOMALY_RATE("high_anomaly_rate"),
        LOW_ANOMALY_RATE("low_anomaly_rate"),
        HIGH_MEMORY("high_memory"),
        LOW_THROUGHPUT("low_throughput"),
        /** One key's scores rose and stayed up: what is normal for it has changed. */
        DRIFT("drift");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
