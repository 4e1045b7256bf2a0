package dev.vigil.ops;

import dev.vigil.camel.broker.Broker;
import dev.vigil.camel.broker.BrokerStatus;
import dev.vigil.camel.broker.BrokerWatch;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * One health check per configured broker, {@code vigil-broker-<name>} at {@code /q/health/well} (and in
 * {@code /q/health}): DOWN with the reason while Vigil cannot connect to it, with its address, what uses it and
 * since when. Registered at start for the brokers the configuration names, so an unconfigured broker has none.
 * Wellness, not readiness: the HTTP API and the inbox keep scoring while a broker is away, so the pod stays in service
 * and the operator sees which broker is missing.
 */
@ApplicationScoped
public class BrokerHealthChecks {
    private final BrokerWatch watch;
    private final HealthRegistry registry;

    @Inject
    public BrokerHealthChecks(BrokerWatch watch, @Wellness HealthRegistry registry) {
        this.watch = watch;
        this.registry = registry;
    }

    void register(@Observes StartupEvent event) {
        for (Broker b : watch.brokers()) {
            registry.register("vigil-broker-" + b.name(), () -> response(watch.status(b)));
        }
    }

    static HealthCheckResponse response(BrokerStatus s) {
        var r = HealthCheckResponse.named("vigil-broker-" + s.broker().name())
                .status(s.state() != BrokerStatus.State.DOWN)
                .withData("status", s.state().label())
                .withData("kind", s.broker().kind().label())
                .withData("address", s.broker().address())
                .withData("usedBy", String.join(", ", s.broker().usedBy()))
                .withData("since", s.since().toString());
        if (s.user() != null) {
            r.withData("user", s.user());
        }
        if (s.reason() != null) {
            r.withData("reason", s.reason());
        }
        if (s.lastCheck() != null) {
            r.withData("lastCheck", s.lastCheck().toString());
        }
        return r.build();
    }
}
