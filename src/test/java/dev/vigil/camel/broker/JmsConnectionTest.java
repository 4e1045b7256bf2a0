package dev.vigil.camel.broker;

import static dev.vigil.camel.broker.BrokerSettings.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.testing.TlsFiles;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

class JmsConnectionTest {
    @Test
    void factory_loginAndTls_userOnTheFactoryTlsParametersOnTheTransport() {
        JmsConnection c = new JmsConnection(config("vigil.jms.url", "tcp://mq:61617?ha=false",
                "vigil.jms.username", "vigil", "vigil.jms.password", "s3cret&x=y",
                "vigil.jms.tls.enabled", "true", "vigil.jms.tls.trust-store", TlsFiles.trustStore().toString(),
                "vigil.jms.tls.trust-store-password", "tp&?=").jms());
        try (ActiveMQConnectionFactory f = c.factory()) {
            assertEquals("vigil", f.getUser());
            assertEquals("s3cret&x=y", f.getPassword());
            Map<String, Object> params = f.getServerLocator().getStaticTransportConfigurations()[0].getParams();
            assertEquals("true", String.valueOf(params.get("sslEnabled")));
            assertEquals(TlsFiles.trustStore().toString(), params.get("trustStorePath"));
            assertEquals("tp&?=", params.get("trustStorePassword"));
            assertEquals("true", String.valueOf(params.get("verifyHost")));
        }
        assertEquals("tcp://mq:61617", c.address());
        assertEquals("as 'vigil', TLS", c.describe());
        assertFalse(c.describe().contains("s3cret"));
    }

    @Test
    void factory_noLoginNoTls_theUrlAsGiven() {
        JmsConnection c = new JmsConnection(config("vigil.jms.url", "tcp://localhost:61616").jms());
        try (ActiveMQConnectionFactory f = c.factory()) {
            assertEquals(null, f.getUser());
            assertFalse(f.getServerLocator().getStaticTransportConfigurations()[0].getParams()
                    .containsKey("sslEnabled"));
        }
        assertEquals("no login", c.describe());
    }

    @Test
    void new_passwordWithoutUser_refusedNamingTheKey() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new JmsConnection(config("vigil.jms.url", "tcp://x:1", "vigil.jms.password", "p").jms()));
        assertEquals("vigil.jms.username", e.key());
    }
}
