package dev.vigil.camel;

import dev.vigil.service.VigilConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.jboss.logging.Logger;

/**
 * Starts the source routes that are configured, once the service is ready to score. The routes declare
 * {@code autoStartup: false}; a source without configuration (no {@code vigil.kafka.brokers}, no
 * {@code vigil.jms.url}) never starts, so no broker client connects and no broker health check can turn
 * readiness DOWN.
 */
@ApplicationScoped
public class SourceActivation {
    private static final Logger LOG = Logger.getLogger(SourceActivation.class);

    /** Route ids of the sources, as in routes/*.yaml. */
    static final String FILE = "file-inbox";
    static final List<String> HTTP = List.of("http-score", "http-ingest", "http-status");
    static final String KAFKA = "kafka-in";
    static final String JMS = "jms-in";

    @Inject
    CamelContext camel;

    @Inject
    VigilConfig config;

    private volatile boolean started;

    /** True once the sources are started; readiness is DOWN until then. */
    public boolean started() {
        return started;
    }

    void start(@Observes StartupEvent event) throws Exception {
        List<String> routes = new ArrayList<>();
        if (config.inbox().enabled()) {
            routes.add(FILE);
        }
        if (config.http().enabled()) {
            routes.addAll(HTTP);
        }
        if (config.kafka().brokers().isPresent()) {
            routes.add(KAFKA);
        }
        if (config.jms().url().isPresent()) {
            routes.add(JMS);
        }
        for (String id : routes) {
            if (camel.getRoute(id) == null) {
                LOG.warnf("Source route '%s' is not defined in the routes folder; skipped", id);
                continue;
            }
            camel.getRouteController().startRoute(id);
        }
        started = true;
        LOG.infof("Sources started: %s", routes);
    }
}
