package dev.vigil.camel.lifecycle;

import dev.vigil.camel.sink.TornLineRepair;
import dev.vigil.camel.source.http.IngestSpool;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.entity.EntityRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

/**
 * Starts the source routes that are configured, once the service is ready to score: after the checkpoints are
 * restored (readiness is DOWN until then; with the Kafka source on, keys are restored on their first point
 * instead, since only the partition assignment says which keys are this instance's), and after a torn last line of
 * a file sink is ended ({@link TornLineRepair}). The routes declare {@code autoStartup: false}; a source without
 * configuration (no {@code vigil.kafka.brokers}, no {@code vigil.jms.url}) never starts, so no broker client
 * connects and no broker health check can turn readiness DOWN. At shutdown it stops the sources first, lets the
 * batches in flight finish and the ingest spool drain, and then checkpoints every key.
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

    @Inject
    EntityRegistry entities;

    @Inject
    TornLineRepair tornLines;

    /** Holds accepted HTTP ingests until their batch is complete; stopped after the sources, so it flushes. */
    static final String INGEST_BATCHING = "http-ingest-batching";

    /**
     * Scores the accepted HTTP ingests on disk. Started whatever the configuration (files a previous run accepted
     * are scored even if HTTP is off now), after the restore; stopped after the sources, so it drains the spool.
     */
    static final String INGEST_SPOOL = "http-ingest-spool";
    /** Its wake-up queue, as in routes/http.yaml: one token, so a wake-up during a drain is not missed. */
    static final String INGEST_SPOOL_WAKE_UP = "seda:ingest-spool-ready?size=1&discardWhenFull=true";

    @Inject
    IngestSpool spool;

    @Inject
    ProducerTemplate producer;

    private final List<String> startedRoutes = new ArrayList<>();

    private volatile boolean started;

    /** True once the sources are started; readiness is DOWN until then. */
    public boolean started() {
        return started;
    }

    void start(@Observes StartupEvent event) throws Exception {
        long begin = System.nanoTime();
        if (config.kafka().brokers().isPresent()) {
            // Which keys are this replica's is known only once the group assigns partitions; restoring the newest
            // checkpoints now would load other replicas' keys and keep stale copies of them.
            LOG.info("Kafka source on: keys are restored from their checkpoints on their first point");
        } else {
            int restored = entities.restoreAtStart();
            if (restored > 0) {
                LOG.infof("Restored %d keys from their checkpoints in %d ms", restored,
                        (System.nanoTime() - begin) / 1_000_000);
            }
        }
        spool.waitingFiles(); // opens the spool folder now: a bad path fails the start, not the first request
        // Before anything is appended: a crash may have cut the last append to a file sink short.
        tornLines.repair();
        List<String> routes = new ArrayList<>();
        routes.add(INGEST_SPOOL);
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
            startedRoutes.add(id);
        }
        if (camel.getRoute(INGEST_SPOOL) != null) {
            producer.sendBody(INGEST_SPOOL_WAKE_UP, "start");
        }
        started = true;
        LOG.infof("Sources started: %s", routes);
    }

    void stop(@Observes ShutdownEvent event) {
        started = false;
        List<String> stopping = new ArrayList<>(startedRoutes);
        stopping.remove(INGEST_SPOOL);
        stopping.add(INGEST_SPOOL);
        stopping.add(INGEST_BATCHING);
        for (String id : stopping) {
            if (id.equals(INGEST_SPOOL)) {
                spool.stopDrainingAfter(IngestSpool.SHUTDOWN_DRAIN_MILLIS);
            }
            try {
                if (camel.getRoute(id) != null) {
                    camel.getRouteController().stopRoute(id);
                }
            } catch (Exception e) {
                LOG.warnf("Route %s did not stop cleanly: %s", id, e.toString());
            }
        }
        entities.checkpointAll();
    }
}
