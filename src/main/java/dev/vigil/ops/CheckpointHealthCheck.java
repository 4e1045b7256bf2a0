package dev.vigil.ops;

import dev.vigil.service.checkpoint.Checkpoints;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether checkpoints reach the disk, at {@code /q/health/well} (and in {@code /q/health}): DOWN from a failed
 * checkpoint (a full disk, a folder that is gone or not a folder) until one is written again. Like the monitoring
 * status it is a wellness check, never readiness or liveness: scoring goes on without checkpoints, so the pod stays
 * in service, but an operator must see that a restart would lose what the models learned since the failure.
 */
@Wellness
@ApplicationScoped
public class CheckpointHealthCheck implements HealthCheck {
    private final Checkpoints checkpoints;

    @Inject
    public CheckpointHealthCheck(Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("vigil-checkpoints");
        if (!checkpoints.enabled()) {
            return response.up().withData("status", "disabled").build();
        }
        long failingSince = checkpoints.failingSince();
        response.status(failingSince == 0)
                .withData("status", failingSince == 0 ? "ok" : "failing")
                .withData("written", checkpoints.written())
                .withData("failures", checkpoints.failures());
        if (checkpoints.lastWrittenAt() > 0) {
            response.withData("lastWritten", Instant.ofEpochMilli(checkpoints.lastWrittenAt()).toString());
        }
        if (failingSince != 0) {
            response.withData("failingSince", Instant.ofEpochMilli(failingSince).toString())
                    .withData("unsavedKeys", checkpoints.unsavedKeys())
                    .withData("lastFailure", checkpoints.lastFailure());
        }
        return response.build();
    }
}
