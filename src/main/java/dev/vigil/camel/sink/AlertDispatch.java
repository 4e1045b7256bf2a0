package dev.vigil.camel.sink;

import dev.vigil.service.monitor.Alert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

/**
 * Delivers each raised {@link Alert} to the alerts sink ({@code vigil.sink.alerts}, by default a log line of
 * JSON) through the sink route {@code direct:sink-alerts}, with its redelivery and dead letter. Asynchronous: the
 * scoring thread that noticed the condition does not wait for the delivery.
 */
@ApplicationScoped
public class AlertDispatch {
    private static final Logger LOG = Logger.getLogger(AlertDispatch.class);
    static final String ENDPOINT = "direct:sink-alerts";

    private final ProducerTemplate producer;

    @Inject
    public AlertDispatch(ProducerTemplate producer) {
        this.producer = producer;
    }

    void deliver(@ObservesAsync Alert alert) {
        String json = ResultJson.alert(alert);
        try {
            producer.sendBody(ENDPOINT, List.of(json));
        } catch (RuntimeException e) {
            // Before the routes start (or after they stop) there is no sink route: the log keeps the alert.
            LOG.warnf("Alert not delivered to the alerts sink (%s): %s", e.getClass().getSimpleName(), json);
        }
    }
}
