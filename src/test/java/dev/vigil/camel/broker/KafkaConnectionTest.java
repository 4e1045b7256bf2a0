package dev.vigil.camel.broker;

import static dev.vigil.camel.broker.BrokerSettings.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.testing.TlsFiles;
import java.util.Map;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {
    @Test
    void clientProperties_plaintextByDefault_onlyTheProtocol() {
        KafkaConnection c = new KafkaConnection(config().kafka());
        assertEquals(Map.of("security.protocol", "PLAINTEXT"), c.clientProperties());
        assertEquals("PLAINTEXT", c.describe());
        assertEquals(null, c.user());
    }

    @Test
    void clientProperties_scramOverTls_jaasEntryWithTheLoginEscapedAndTheTrustStore() {
        String password = "pa\"ss\\word";
        KafkaConnection c = new KafkaConnection(config("vigil.kafka.security-protocol", "sasl_ssl",
                "vigil.kafka.sasl.mechanism", "SCRAM-SHA-512", "vigil.kafka.sasl.username", "vigil",
                "vigil.kafka.sasl.password", password,
                "vigil.kafka.tls.trust-store", TlsFiles.trustStore().toString(),
                "vigil.kafka.tls.trust-store-password", TlsFiles.PASSWORD).kafka());
        Map<String, String> p = c.clientProperties();
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
        assertEquals(TlsFiles.trustStore().toString(), p.get("ssl.truststore.location"));
        assertEquals("PKCS12", p.get("ssl.truststore.type"));
        assertEquals("https", p.get("ssl.endpoint.identification.algorithm"));
        // Kafka's own parser reads back exactly the user and password given.
        var entry = JaasContext.loadClientContext(Map.of("sasl.jaas.config",
                new Password(p.get("sasl.jaas.config")))).configurationEntries().get(0);
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule", entry.getLoginModuleName());
        assertEquals("vigil", entry.getOptions().get("username"));
        assertEquals(password, entry.getOptions().get("password"));
        assertFalse(c.describe().contains(password), c.describe());
        assertEquals("SASL_SSL, SCRAM-SHA-512 as 'vigil', trust " + TlsFiles.trustStore(), c.describe());
    }

    @Test
    void clientProperties_plain_plainLoginModule() {
        KafkaConnection c = new KafkaConnection(config("vigil.kafka.security-protocol", "SASL_PLAINTEXT",
                "vigil.kafka.sasl.mechanism", "PLAIN", "vigil.kafka.sasl.username", "u",
                "vigil.kafka.sasl.password", "p").kafka());
        assertTrue(c.clientProperties().get("sasl.jaas.config")
                .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required "));
        assertFalse(c.clientProperties().containsKey("ssl.truststore.location"));
    }

    @Test
    void new_saslWithoutPassword_refusedNamingTheKeyAndItsEnvironmentVariable() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new KafkaConnection(config("vigil.kafka.security-protocol", "SASL_SSL",
                        "vigil.kafka.sasl.username", "vigil").kafka()));
        assertEquals("vigil.kafka.sasl.password", e.key());
        assertTrue(e.getMessage().contains("VIGIL_KAFKA_SASL_PASSWORD"), e.getMessage());
    }

    @Test
    void new_trustStoreMissing_refusedAtStartNamingThePath() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new KafkaConnection(config("vigil.kafka.security-protocol", "SSL",
                        "vigil.kafka.tls.trust-store", "/nowhere/ca.p12").kafka()));
        assertEquals("vigil.kafka.tls.trust-store", e.key());
        assertTrue(e.getMessage().contains("/nowhere/ca.p12"), e.getMessage());
    }

    @Test
    void applyTo_componentConfiguration_everyEndpointStartsFromIt() {
        KafkaConfiguration k = new KafkaConfiguration();
        new KafkaConnection(config("vigil.kafka.brokers", "b:9093", "vigil.kafka.security-protocol", "SASL_SSL",
                "vigil.kafka.sasl.username", "u", "vigil.kafka.sasl.password", "p",
                "vigil.kafka.tls.verify-host", "false").kafka()).applyTo(k);
        assertEquals("b:9093", k.getBrokers());
        assertEquals("SASL_SSL", k.getSecurityProtocol());
        assertEquals("SCRAM-SHA-512", k.getSaslMechanism());
        assertTrue(k.getSaslJaasConfig().contains("username=\"u\""));
        assertEquals("", k.getSslEndpointAlgorithm());
        KafkaConfiguration endpoint = k.copy();
        assertEquals("SASL_SSL", endpoint.createProducerProperties().get("security.protocol"));
        assertEquals("SCRAM-SHA-512", endpoint.createConsumerProperties().get("sasl.mechanism"));
    }
}
