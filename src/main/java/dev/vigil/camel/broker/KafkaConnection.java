package dev.vigil.camel.broker;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.service.config.VigilConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.component.kafka.KafkaConfiguration;

/**
 * How Vigil's Kafka clients connect, from {@code vigil.kafka.*}: the security protocol, the SASL login (PLAIN or
 * SCRAM, as a JAAS entry built here so a password needs no quoting by the user) and the TLS stores. The same settings
 * go to the Camel Kafka component, hence to the source and to every {@code kafka:} sink (a sink's URI may still
 * override one), and to the client that checks the broker's health. Nothing here is logged but {@link #describe()},
 * which names the user and never a password.
 */
public final class KafkaConnection {
    private static final String PREFIX = "vigil.kafka.";

    private final VigilConfig.Kafka kafka;

    public KafkaConnection(VigilConfig.Kafka kafka) {
        this.kafka = kafka;
        validate();
    }

    private void validate() {
        VigilConfig.Kafka.SecurityProtocol protocol = kafka.securityProtocol();
        if (protocol.sasl()) {
            require(kafka.sasl().username(), "sasl.username", protocol);
            require(kafka.sasl().password(), "sasl.password", protocol);
        }
        if (protocol.tls()) {
            TlsStores.validate(PREFIX, kafka.tls());
        }
    }

    private static void require(Optional<String> value, String key, VigilConfig.Kafka.SecurityProtocol protocol) {
        if (value.isEmpty() || value.get().isEmpty()) {
            throw new InvalidConfigurationException(PREFIX + key, "required with security protocol " + protocol
                    + " (set it from the environment, " + envName(PREFIX + key) + ", or a file)");
        }
    }

    static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The user Vigil logs in as, or null without SASL. */
    public String user() {
        return kafka.securityProtocol().sasl() ? kafka.sasl().username().orElse(null) : null;
    }

    /** The SASL mechanism's Kafka name, or null without SASL. */
    public String mechanism() {
        return kafka.securityProtocol().sasl() ? kafka.sasl().mechanism().kafkaName() : null;
    }

    /** For people: protocol, mechanism and user, trust store; never a password. */
    public String describe() {
        VigilConfig.Kafka.SecurityProtocol protocol = kafka.securityProtocol();
        StringBuilder sb = new StringBuilder(protocol.name());
        if (protocol.sasl()) {
            sb.append(", ").append(mechanism()).append(" as '").append(user()).append('\'');
        }
        if (protocol.tls()) {
            sb.append(", trust ").append(kafka.tls().trustStore().orElse("the JVM's CAs"));
            kafka.tls().keyStore().ifPresent(k -> sb.append(", client certificate ").append(k));
        }
        return sb.toString();
    }

    /**
     * The Kafka client properties of the connection (security.protocol, sasl.*, ssl.*): what a Kafka client needs
     * beyond {@code bootstrap.servers}.
     */
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        VigilConfig.Kafka.SecurityProtocol protocol = kafka.securityProtocol();
        p.put("security.protocol", protocol.name());
        if (protocol.sasl()) {
            p.put("sasl.mechanism", mechanism());
            p.put("sasl.jaas.config", jaasConfig());
        }
        if (protocol.tls()) {
            VigilConfig.Tls tls = kafka.tls();
            tls.trustStore().ifPresent(t -> {
                p.put("ssl.truststore.location", t);
                p.put("ssl.truststore.type", tls.trustStoreType());
                tls.trustStorePassword().ifPresent(pw -> p.put("ssl.truststore.password", pw));
            });
            tls.keyStore().ifPresent(k -> {
                p.put("ssl.keystore.location", k);
                p.put("ssl.keystore.type", tls.keyStoreType());
                tls.keyStorePassword().ifPresent(pw -> {
                    p.put("ssl.keystore.password", pw);
                    p.put("ssl.key.password", pw);
                });
            });
            // Kafka's default, https, checks the broker's name against its certificate; empty turns that off.
            p.put("ssl.endpoint.identification.algorithm", tls.verifyHost() ? "https" : "");
        }
        return p;
    }

    /** Applies the connection to the Camel Kafka component's configuration, which every endpoint starts from. */
    public void applyTo(KafkaConfiguration c) {
        kafka.brokers().ifPresent(c::setBrokers);
        Map<String, String> p = clientProperties();
        c.setSecurityProtocol(p.get("security.protocol"));
        c.setSaslMechanism(p.get("sasl.mechanism"));
        c.setSaslJaasConfig(p.get("sasl.jaas.config"));
        c.setSslTruststoreLocation(p.get("ssl.truststore.location"));
        c.setSslTruststorePassword(p.get("ssl.truststore.password"));
        if (p.containsKey("ssl.truststore.type")) {
            c.setSslTruststoreType(p.get("ssl.truststore.type"));
        }
        c.setSslKeystoreLocation(p.get("ssl.keystore.location"));
        c.setSslKeystorePassword(p.get("ssl.keystore.password"));
        c.setSslKeyPassword(p.get("ssl.key.password"));
        if (p.containsKey("ssl.keystore.type")) {
            c.setSslKeystoreType(p.get("ssl.keystore.type"));
        }
        if (p.containsKey("ssl.endpoint.identification.algorithm")) {
            c.setSslEndpointAlgorithm(p.get("ssl.endpoint.identification.algorithm"));
        }
    }

    /** {@code <LoginModule> required username="..." password="...";}, quotes and backslashes escaped. */
    private String jaasConfig() {
        String module = kafka.sasl().mechanism() == VigilConfig.Kafka.SaslMechanism.PLAIN
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + quoted(kafka.sasl().username().orElseThrow())
                + "\" password=\"" + quoted(kafka.sasl().password().orElseThrow()) + "\";";
    }

    private static String quoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
