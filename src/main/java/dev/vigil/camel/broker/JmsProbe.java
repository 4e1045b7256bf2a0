package dev.vigil.camel.broker;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Checks an Artemis broker by opening a connection, logged in as the source and sinks are, and closing it. A
 * connection factory of its own, so a check never takes or breaks a connection the routes hold.
 */
final class JmsProbe implements BrokerProbe {
    private final ActiveMQConnectionFactory factory;

    JmsProbe(JmsConnection connection, long timeoutMillis) {
        this.factory = connection.factory();
        factory.setCallTimeout(timeoutMillis);
    }

    @Override
    public void check() throws Exception {
        try (Connection c = factory.createConnection()) {
            c.getMetaData();
        }
    }

    @Override
    public boolean loginRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JMSSecurityException || t instanceof ActiveMQSecurityException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        factory.close();
    }
}
