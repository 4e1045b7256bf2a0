package dev.vigil.camel.broker;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * Checks a Kafka cluster by asking it for its cluster id, with the connection settings of the source and sinks, so a
 * login or TLS problem shows here exactly as the consumer and producers meet it. The admin client is kept between
 * checks (it reconnects on its own) and made again after it could not be made (a trust store not readable yet).
 */
final class KafkaProbe implements BrokerProbe {
    private final Properties properties = new Properties();
    private final long timeoutMillis;
    private Admin admin;

    KafkaProbe(String bootstrap, Map<String, String> connection, long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        properties.putAll(connection);
        properties.put("bootstrap.servers", bootstrap);
        properties.put("client.id", "vigil-broker-check");
        properties.put("request.timeout.ms", Long.toString(timeoutMillis));
        properties.put("default.api.timeout.ms", Long.toString(timeoutMillis));
    }

    @Override
    public void check() throws Exception {
        if (admin == null) {
            admin = Admin.create(properties);
        }
        admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMillis)).clusterId()
                .get(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean loginRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SaslAuthenticationException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(1));
            admin = null;
        }
    }
}
