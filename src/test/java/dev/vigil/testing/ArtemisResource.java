package dev.vigil.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/** A real Artemis broker embedded in the test JVM on a free port; queues are created on first use. */
public class ArtemisResource implements QuarkusTestResourceLifecycleManager {
    private static volatile String url;
    private EmbeddedActiveMQ artemis;

    public static String url() {
        return url;
    }

    @Override
    public Map<String, String> start() {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            url = "tcp://127.0.0.1:" + port;
            Configuration cfg = new ConfigurationImpl()
                    .setPersistenceEnabled(false)
                    .setSecurityEnabled(false)
                    .setJMXManagementEnabled(false)
                    .addAcceptorConfiguration("tcp", url);
            artemis = new EmbeddedActiveMQ();
            artemis.setConfiguration(cfg);
            artemis.start();
            return Map.of("vigil.jms.url", url);
        } catch (IOException e) {
            throw new IllegalStateException("no free port for Artemis", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded Artemis broker", e);
        }
    }

    @Override
    public void stop() {
        if (artemis != null) {
            try {
                artemis.stop();
            } catch (Exception e) {
                // the JVM is going away; nothing else to release
            }
        }
    }
}
