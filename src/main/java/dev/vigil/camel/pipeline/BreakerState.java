package dev.vigil.camel.pipeline;

import dev.vigil.service.monitor.VigilMetrics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.component.microprofile.faulttolerance.FaultToleranceProcessor;

/**
 * The state of the circuit breaker around detection (the {@code detect-breaker} step of routes/pipeline.yaml):
 * closed, open or half_open, or unknown when an operator's route file has no step of that id. Exposed as the
 * gauge {@code vigil_breaker_state{state=...}}, 1 for the current state and 0 for the others.
 */
@ApplicationScoped
public class BreakerState {
    static final String STEP_ID = "detect-breaker";
    private static final String[] STATES = {"closed", "open", "half_open"};

    private final CamelContext camel;

    @Inject
    public BreakerState(CamelContext camel) {
        this.camel = camel;
    }

    void registerGauges(@Observes StartupEvent event, VigilMetrics metrics) {
        for (String s : STATES) {
            metrics.gauge("vigil.breaker.state", "Circuit breaker around detection, 1 in its current state",
                    () -> s.equals(current()) ? 1 : 0, "state", s);
        }
    }

    /** closed, open, half_open or unknown. */
    public String current() {
        FaultToleranceProcessor breaker = camel.getProcessor(STEP_ID, FaultToleranceProcessor.class);
        return breaker == null ? "unknown" : breaker.getCircuitBreakerState().toLowerCase(Locale.ROOT);
    }
}
