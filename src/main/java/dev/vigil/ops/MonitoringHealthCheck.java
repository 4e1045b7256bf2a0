package dev.vigil.ops;

import dev.vigil.service.monitor.Alert;
import dev.vigil.service.monitor.MonitoringService;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The reference MonitoringService status (healthy / warning / critical) and the active alerts, at
 * {@code /q/health/well} (and in {@code /q/health}). DOWN only when critical. It is deliberately not a readiness or
 * liveness check: a high anomaly rate is news for an operator, not a reason to restart the pod or take it out of
 * service.
 */
@Wellness
@ApplicationScoped
public class MonitoringHealthCheck implements HealthCheck {
    private final MonitoringService monitoring;

    @Inject
    public MonitoringHealthCheck(MonitoringService monitoring) {
        this.monitoring = monitoring;
    }

    @Override
    public HealthCheckResponse call() {
        MonitoringService.Status status = monitoring.status();
        return HealthCheckResponse.named("vigil-monitoring")
                .status(status != MonitoringService.Status.CRITICAL)
                .withData("status", status.name().toLowerCase(Locale.ROOT))
                .withData("alerts", monitoring.activeAlerts().stream().map(Alert::type).map(Alert.Type::label)
                        .collect(Collectors.joining(",")))
                .build();
    }
}
