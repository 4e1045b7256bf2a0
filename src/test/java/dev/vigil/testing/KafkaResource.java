package dev.vigil.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in KRaft mode, in the test JVM (no container): one combined broker/controller node. The
 * topics Vigil's tests use are created before the application starts, so consumers never race their creation.
 * Broker settings can be added as init args, e.g. in a test profile's {@code testResources()}:
 * {@code new TestResourceEntry(KafkaResource.class, Map.of("auto.create.topics.enable", "false"), true)}.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {
    public static final String POINTS_TOPIC = "vigil-points";
    public static final String CRITICAL_TOPIC = "vigil-critical";
    private static volatile String bootstrap;

    private KafkaClusterTestKit kafka;
    private Map<String, String> brokerSettings = Map.of();

    /** The bootstrap servers of the running broker, for producers and consumers in tests. */
    public static String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        brokerSettings = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    // On a loaded machine the broker's heartbeats to its own controller come late; with the default 9 s
                    // lease the controller fences it, its partitions lose their leader and producers' retries end out
                    // of sequence (records lost under a load average of 20).
                    .setConfigProp("broker.session.timeout.ms", "60000");
            brokerSettings.forEach(builder::setConfigProp);
            kafka = builder.build();
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            bootstrap = kafka.bootstrapServers();
            Properties admin = new Properties();
            admin.put("bootstrap.servers", bootstrap);
            try (Admin a = Admin.create(admin)) {
                a.createTopics(List.of(new NewTopic(POINTS_TOPIC, 2, (short) 1),
                        new NewTopic(CRITICAL_TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            return Map.of("vigil.kafka.brokers", bootstrap, "kafka.bootstrap.servers", bootstrap);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-JVM Kafka broker", e);
        }
    }

    @Override
    public void stop() {
        if (kafka != null) {
            try {
                kafka.close();
            } catch (Exception e) {
                // the JVM is going away; nothing else to release
            }
        }
    }
}
