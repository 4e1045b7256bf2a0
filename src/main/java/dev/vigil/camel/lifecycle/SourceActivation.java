package dev.vigil.camel.lifecycle;

import dev.vigil.camel.sink.TornLineRepair;
import dev.vigil.camel.source.file.FileBatches;
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
import org.apache.camel.Route;
import org.jboss.logging.Logger;

/**
 * Starts the routes that take data in, once the service is ready to score: after the checkpoints are restored
 * (readiness is DOWN until then; with the Kafka source on, keys are restored on their first point instead, since
 * only the partition assignment says which keys are this instance's), and after a torn last line of a file sink is
 * ended ({@link TornLineRepair}). Which routes those are is the routes' own metadata, not a list here: a route of
 * group {@value #SOURCES} takes data from outside, one of group {@value #DRAINS} finishes what was accepted earlier
 * (the ingest spool, the in-memory ingest batches). Both declare {@code autoStartup: false}; a source whose
 * {@code precondition} is false (its source switched off, or no {@code vigil.kafka.brokers} / {@code vigil.jms.url})
 * is never created, so no broker client connects and no broker health check can turn readiness DOWN. At shutdown
 * the sources stop first, the drains finish what is waiting (the spool for at most {@value #DRAIN_MILLIS} ms; the
 * rest stays on disk for the next start), and then every key is checkpointed. Inbox files being read get
 * {@code vigil.inbox.stop-timeout} to finish; then their reads halt within a batch and the files stay in the inbox
 * for the next start, so that a large file cannot hold the stop past the pod's grace period (60 s).
 */
@ApplicationScoped
public class SourceActivation {
    private static final Logger LOG = Logger.getLogger(SourceActivation.class);
    /** Route group of the routes that take data in (routes/*.yaml). */
    static final String SOURCES = "sources";
    /** Route group of the routes that finish accepted data; started before and stopped after the sources. */
    static final String DRAINS = "drains";
    /** How long a graceful stop waits for the ingest spool to drain. */
    static final long DRAIN_MILLIS = 30_000;

    @Inject
    CamelContext camel;

    @Inject
    VigilConfig config;

    @Inject
    EntityRegistry entities;

    @Inject
    TornLineRepair tornLines;

    @Inject
    IngestSpool spool;

    @Inject
    FileBatches fileBatches;

    private volatile boolean started;

    /** True once the sources are started; readiness is DOWN until then. */
    public boolean started() {
        return started;
    }

    private List<String> group(String group) {
        return camel.getRoutes().stream().filter(r -> group.equals(r.getGroup())).map(Route::getRouteId).sorted()
                .toList();
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
        List<String> routes = new ArrayList<>(group(DRAINS));
        routes.addAll(group(SOURCES));
        for (String id : routes) {
            camel.getRouteController().startRoute(id);
        }
        started = true;
        // Camel's start-up summary lists these as "Disabled": they wait for this, by design (autoStartup: false).
        LOG.infof("Sources started, now that the service is ready to score: %s", group(SOURCES));
    }

    void stop(@Observes ShutdownEvent event) {
        started = false;
        // Inbox files being read get a while to finish; the rest stay where they are, read again at the next start.
        try {
            fileBatches.stopping(config.inbox().stopTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group(SOURCES).forEach(this::stopRoute);
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        while (spool.hasWaiting() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (spool.hasWaiting()) {
            LOG.warnf("%d accepted /ingest requests are still in the spool after %d ms; they are scored at the next"
                    + " start", spool.waitingFiles(), DRAIN_MILLIS);
        }
        group(DRAINS).forEach(this::stopRoute);
        entities.checkpointAll();
    }

    private void stopRoute(String id) {
        try {
            camel.getRouteController().stopRoute(id);
        } catch (Exception e) {
            LOG.warnf("Route %s did not stop cleanly: %s", id, e.toString());
        }
    }
}
