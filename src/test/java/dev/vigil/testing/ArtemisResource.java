package dev.vigil.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

/**
 * A real Artemis broker embedded in the test JVM on a free port; queues are created on first use. A test can stop
 * it and start it again on the same port ({@link #stopBroker()}, {@link #startBroker()}); it keeps no messages
 * across that (no persistence).
 *
 * <p>With the init arg {@code secured=true} it requires a login ({@link #USER}, who may do everything) and TLS (the
 * certificate of {@link TlsFiles}), and hands Vigil the login and the trust store as a user would configure them.
 * The init arg {@code client-parameters} is appended to the URL Vigil is given (Artemis client parameters, such as
 * {@code retryInterval}).
 */
public class ArtemisResource implements QuarkusTestResourceLifecycleManager {
    public static final String USER = "vigil";
    public static final String PASSWORD = "jms-secret";
    private static volatile String url;
    private static volatile boolean secured;
    private static volatile String clientParameters;
    private static volatile EmbeddedActiveMQ artemis;

    /** The URL a client connects to; with TLS, the URL for Vigil is this without the key store parameters. */
    public static String url() {
        return url;
    }

    /** A client's URL: with TLS, the trust store parameters Artemis clients take. */
    public static String clientUrl() {
        return secured ? url + "?sslEnabled=true&trustStorePath=" + TlsFiles.trustStore() + "&trustStorePassword="
                + TlsFiles.PASSWORD + "&trustStoreType=PKCS12" : url;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        secured = Boolean.parseBoolean(initArgs.getOrDefault("secured", "false"));
        clientParameters = initArgs.get("client-parameters");
    }

    /** How many client connections the broker has accepted since it started. */
    public static long connectionsAccepted() {
        return artemis.getActiveMQServer().getTotalConnectionCount();
    }

    /** Stops the broker: clients' connections break and new ones are refused until {@link #startBroker()}. */
    public static synchronized void stopBroker() throws Exception {
        if (artemis != null) {
            artemis.stop();
            artemis = null;
        }
    }

    /** Starts a broker on the same port as before. */
    public static synchronized void startBroker() throws Exception {
        if (artemis == null) {
            String acceptor = secured ? url + "?sslEnabled=true&keyStorePath=" + TlsFiles.keyStore()
                    + "&keyStorePassword=" + TlsFiles.PASSWORD + "&keyStoreType=PKCS12" : url;
            Configuration cfg = new ConfigurationImpl()
                    .setPersistenceEnabled(false)
                    .setSecurityEnabled(secured)
                    .setJMXManagementEnabled(false)
                    .addAcceptorConfiguration("tcp", acceptor);
            EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
            if (secured) {
                cfg.putSecurityRoles("#", Set.of(new Role(USER, true, true, true, true, true, true, true, true, true,
                        true)));
                SecurityConfiguration users = new SecurityConfiguration();
                users.addUser(USER, PASSWORD);
                users.addRole(USER, USER);
                broker.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
            }
            broker.setConfiguration(cfg);
            broker.start();
            artemis = broker;
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            url = "tcp://127.0.0.1:" + port;
            startBroker();
            Map<String, String> vigil = new HashMap<>();
            vigil.put("vigil.jms.url", clientParameters == null ? url : url + "?" + clientParameters);
            if (secured) {
                vigil.put("vigil.jms.username", USER);
                vigil.put("vigil.jms.password", PASSWORD);
                vigil.put("vigil.jms.tls.enabled", "true");
                vigil.put("vigil.jms.tls.trust-store", TlsFiles.trustStore().toString());
                vigil.put("vigil.jms.tls.trust-store-password", TlsFiles.PASSWORD);
            }
            return vigil;
        } catch (IOException e) {
            throw new IllegalStateException("no free port for Artemis", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded Artemis broker", e);
        }
    }

    @Override
    public void stop() {
        try {
            stopBroker();
        } catch (Exception e) {
            // the JVM is going away; nothing else to release
        }
    }
}
