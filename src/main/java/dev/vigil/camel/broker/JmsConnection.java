package dev.vigil.camel.broker;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.service.config.VigilConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * How Vigil connects to its Artemis broker, from {@code vigil.jms.*}: the URL, the login and TLS. TLS is Artemis's
 * own transport parameters ({@code sslEnabled}, {@code trustStorePath}, ...), set here from {@code vigil.jms.tls.*},
 * so a password never has to be written into the URL (parameters written there still apply). {@link #address()} is
 * the URL without its parameters, for logs, health and status.
 */
public final class JmsConnection {
    private static final String PREFIX = "vigil.jms.";

    private final VigilConfig.Jms jms;
    private final String url;

    public JmsConnection(VigilConfig.Jms jms) {
        this.jms = jms;
        this.url = jms.url().orElseThrow(() -> new IllegalStateException("vigil.jms.url is not set"));
        if (jms.password().isPresent() && jms.username().isEmpty()) {
            throw new InvalidConfigurationException(PREFIX + "username", "required when vigil.jms.password is set");
        }
        if (jms.tls().enabled()) {
            TlsStores.validate(PREFIX, jms.tls());
        }
    }

    /** The broker URL without its parameters, for people. */
    public String address() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** The user Vigil logs in as, or null. */
    public String user() {
        return jms.username().orElse(null);
    }

    /** For people: the login and TLS; never a password. */
    public String describe() {
        return (user() == null ? "no login" : "as '" + user() + "'") + (jms.tls().enabled() ? ", TLS" : "");
    }

    /** A new connection factory for this broker; the caller closes it. */
    public ActiveMQConnectionFactory factory() {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        jms.username().ifPresent(factory::setUser);
        jms.password().ifPresent(factory::setPassword);
        Map<String, Object> tls = tlsParameters();
        for (TransportConfiguration transport : factory.getServerLocator().getStaticTransportConfigurations()) {
            // Into the transport's parameters, not the URL: a password may hold any character.
            transport.getParams().putAll(tls);
        }
        return factory;
    }

    /** Artemis's TLS transport parameters from {@code vigil.jms.tls.*}; none without TLS. */
    private Map<String, Object> tlsParameters() {
        VigilConfig.Jms.JmsTls tls = jms.tls();
        Map<String, Object> p = new LinkedHashMap<>();
        if (!tls.enabled()) {
            return p;
        }
        p.put("sslEnabled", "true");
        tls.trustStore().ifPresent(t -> {
            p.put("trustStorePath", t);
            p.put("trustStoreType", tls.trustStoreType());
            tls.trustStorePassword().ifPresent(pw -> p.put("trustStorePassword", pw));
        });
        tls.keyStore().ifPresent(k -> {
            p.put("keyStorePath", k);
            p.put("keyStoreType", tls.keyStoreType());
            tls.keyStorePassword().ifPresent(pw -> p.put("keyStorePassword", pw));
        });
        p.put("verifyHost", Boolean.toString(tls.verifyHost()));
        return p;
    }
}
