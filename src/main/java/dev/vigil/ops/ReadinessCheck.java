package dev.vigil.ops;

import dev.vigil.camel.lifecycle.SourceActivation;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.MonitoringService;
import dev.vigil.service.point.DetectorState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once checkpoints are restored and the sources started, and while detection works. A batch that neither
 * the model nor the fallback could score turns readiness DOWN until a later batch is scored or the breaker's
 * delay has passed: after that delay the breaker tries the model again, and a pod kept out of service could
 * never receive the traffic that shows it has recovered.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    private final SourceActivation sources;
    private final MonitoringService monitoring;
    private final Duration failedFor;

    @Inject
    public ReadinessCheck(SourceActivation sources, MonitoringService monitoring, VigilConfig config) {
        this.sources = sources;
        this.monitoring = monitoring;
        this.failedFor = Duration.ofMillis(config.breaker().delay());
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("vigil");
        if (!sources.started()) {
            return response.down().withData("phase", "restoring checkpoints").build();
        }
        DetectorState state = monitoring.detectorState();
        Instant at = monitoring.detectorStateAt();
        boolean failed = state == DetectorState.FAILED && at != null && at.plus(failedFor).isAfter(Instant.now());
        return response.status(!failed).withData("detector", state.label()).build();
    }
}
