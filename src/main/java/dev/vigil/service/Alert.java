package dev.vigil.service;

import java.time.Instant;

/**
 * An operational alert (the reference MonitoringService's alert types): what crossed which threshold, when. Fired
 * as a CDI event when raised, at most once per type per cooldown; the route layer delivers it to
 * {@code vigil.sink.alerts}.
 */
public record Alert(Type type, String message, double value, double threshold, Instant raisedAt) {

    public enum Type {
        SLOW_PROCESSING("slow_processing"),
        HIGH_ERROR_RATE("high_error_rate"),
        HIGH_ANOMALY_RATE("high_anomaly_rate"),
        LOW_ANOMALY_RATE("low_anomaly_rate"),
        HIGH_MEMORY("high_memory"),
        LOW_THROUGHPUT("low_throughput");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
