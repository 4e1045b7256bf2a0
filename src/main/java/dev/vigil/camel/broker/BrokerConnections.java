package dev.vigil.camel.broker;

import dev.vigil.service.config.VigilConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.quarkus.core.events.ComponentAddEvent;

/**
 * The brokers' connection settings ({@link KafkaConnection}, {@link JmsConnection}), built once and checked at
 * start, and given to Camel's {@code kafka} and {@code jms} components as they are created, before any endpoint:
 * so the source and every sink of a kind connect alike, and the routes' URIs carry no secret.
 */
@ApplicationScoped
public class BrokerConnections {
    private final VigilConfig config;
    private KafkaConnection kafka;
    private JmsConnection jms;

    @Inject
    public BrokerConnections(VigilConfig config) {
        this.config = config;
    }

    public synchronized KafkaConnection kafka() {
        if (kafka == null) {
            kafka = new KafkaConnection(config.kafka());
        }
        return kafka;
    }

    /** The JMS connection; only when {@code vigil.jms.url} is set. */
    public synchronized JmsConnection jms() {
        if (jms == null) {
            jms = new JmsConnection(config.jms());
        }
        return jms;
    }

    void configure(@Observes ComponentAddEvent event) {
        if (event.getComponent() instanceof KafkaComponent k) {
            kafka().applyTo(k.getConfiguration());
        } else if (event.getComponent() instanceof JmsComponent j && config.jms().url().isPresent()) {
            j.getConfiguration().setConnectionFactory(jms().factory());
        }
    }
}
