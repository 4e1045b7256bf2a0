package dev.vigil.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * A real Artemis broker embedded in the test JVM on a free port; queues are created on first use. A test can stop
 * it and start it again on the same port ({@link #stopBroker()}, {@link #startBroker()}); it keeps no messages
 * across that (no persistence).
 */
public class ArtemisResource implements QuarkusTestResourceLifecycleManager {
    private static volatile String url;
    private static volatile EmbeddedActiveMQ artemis;

    public static String url() {
        return url;
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
            Configuration cfg = new ConfigurationImpl()
                    .setPersistenceEnabled(false)
                    .setSecurityEnabled(false)
                    .setJMXManagementEnabled(false)
                    .addAcceptorConfiguration("tcp", url);
            EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
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
            return Map.of("vigil.jms.url", url);
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
