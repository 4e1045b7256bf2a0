package dev.vigil.ops;

import dev.vigil.camel.source.file.InboxReads;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The file inbox, at {@code /q/health/well}: DOWN while a read has waited for its file longer than
 * {@code vigil.inbox.stall-timeout}, with the files and how long. Not readiness: the other sources still work, and
 * taking the pod out of service would stop them too. Not liveness: a restart reads the file again (and after
 * {@code vigil.inbox.max-attempts} unfinished reads the inbox refuses it).
 */
@Wellness
@ApplicationScoped
public class InboxHealthCheck implements HealthCheck {
    private final InboxReads reads;

    @Inject
    public InboxHealthCheck(InboxReads reads) {
        this.reads = reads;
    }

    @Override
    public HealthCheckResponse call() {
        List<InboxReads.Stall> stalled = reads.stalled();
        var response = HealthCheckResponse.named("vigil-inbox").status(stalled.isEmpty());
        if (!stalled.isEmpty()) {
            response.withData("stalled", stalled.stream().map(s -> s.file() + " " + s.seconds() + " s")
                    .collect(Collectors.joining(", ")));
        }
        return response.build();
    }
}
