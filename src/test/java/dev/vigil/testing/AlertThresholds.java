package dev.vigil.testing;

import dev.vigil.service.config.VigilConfig;

/** The monitoring alert thresholds as a plain record, for tests that build a MonitoringService by hand. */
public record AlertThresholds(double slowProcessing, double errorRate, double anomalyRateHigh, double anomalyRateLow,
        double memoryMb, double lowThroughput, long cooldown, int window) implements VigilConfig.Alerts {

    /** The reference configuration's thresholds, over a window of 1,000 points. */
    public static AlertThresholds reference() {
        return new AlertThresholds(0.1, 0.05, 0.15, 0.001, 1000, 10, 300, 1000);
    }
}
