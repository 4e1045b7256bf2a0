package dev.vigil.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in KRaft mode, in the test JVM, that requires a login over TLS: one SASL_SSL listener offering
 * PLAIN and SCRAM-SHA-512, with a certificate from {@link TlsFiles}. Users: {@link #PLAIN_USER} (PLAIN),
 * {@link #SCRAM_USER} (SCRAM-SHA-512, created through the admin API once the broker runs) and the broker's own
 * {@code plain-admin}. The test kit of Kafka 4.1 sets up SASL_PLAINTEXT (PLAIN, a JAAS file, an authorizer); the
 * listener's protocol and the SSL and SCRAM settings are set over that.
 *
 * <p>Vigil is configured as a user would: SCRAM-SHA-512 over SASL_SSL, the trust store, and its password from a file
 * ({@code ${file::...}}).
 */
public class SaslKafkaResource implements QuarkusTestResourceLifecycleManager {
    public static final String POINTS_TOPIC = "vigil-points";
    public static final String RESULTS_TOPIC = "vigil-results";
    public static final String PLAIN_USER = "vigil-plain";
    public static final String PLAIN_PASSWORD = "plain \"quoted\" secret";
    public static final String SCRAM_USER = "vigil-scram";
    public static final String SCRAM_PASSWORD = "scram-secret\\with-backslash";
    private static final String ADMIN = "plain-admin";
    private static final String ADMIN_PASSWORD = "plain-admin-secret";
    private static volatile String bootstrap;

    private KafkaClusterTestKit kafka;

    public static String bootstrapServers() {
        return bootstrap;
    }

    /** Client properties for a test's own producer, consumer or admin client, logged in as {@code user}. */
    public static Properties client(String mechanism, String user, String password) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", mechanism);
        String module = "PLAIN".equals(mechanism) ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        p.put("sasl.jaas.config", module + " required username=\"" + jaasQuoted(user) + "\" password=\""
                + jaasQuoted(password) + "\";");
        p.put("ssl.truststore.location", TlsFiles.trustStore().toString());
        p.put("ssl.truststore.password", TlsFiles.PASSWORD);
        p.put("ssl.truststore.type", "PKCS12");
        return p;
    }

    private static String jaasQuoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public Map<String, String> start() {
        try {
            String plainUsers = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                    + "\" password=\"" + ADMIN_PASSWORD + "\" user_" + ADMIN + "=\"" + ADMIN_PASSWORD + "\" user_"
                    + PLAIN_USER + "=\"" + jaasQuoted(PLAIN_PASSWORD) + "\";";
            kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                    .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("listener.security.protocol.map", "EXTERNAL:SASL_SSL,CONTROLLER:PLAINTEXT")
                    .setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                    .setConfigProp("sasl.mechanism.inter.broker.protocol", "PLAIN")
                    .setConfigProp("listener.name.external.plain.sasl.jaas.config", plainUsers)
                    .setConfigProp("listener.name.external.scram-sha-512.sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                    // ANONYMOUS: the node itself over the controller listener, which stays PLAINTEXT.
                    .setConfigProp("super.users", "User:ANONYMOUS;User:" + ADMIN + ";User:" + PLAIN_USER + ";User:"
                            + SCRAM_USER)
                    .setConfigProp("ssl.keystore.location", TlsFiles.keyStore().toString())
                    .setConfigProp("ssl.keystore.password", TlsFiles.PASSWORD)
                    .setConfigProp("ssl.key.password", TlsFiles.PASSWORD)
                    .setConfigProp("ssl.keystore.type", "PKCS12")
                    .setConfigProp("ssl.truststore.location", TlsFiles.trustStore().toString())
                    .setConfigProp("ssl.truststore.password", TlsFiles.PASSWORD)
                    .setConfigProp("ssl.truststore.type", "PKCS12")
                    .build();
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            bootstrap = kafka.bootstrapServers();
            try (Admin a = Admin.create(client("PLAIN", ADMIN, ADMIN_PASSWORD))) {
                a.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(SCRAM_USER,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), SCRAM_PASSWORD))).all().get();
                a.createTopics(List.of(new NewTopic(POINTS_TOPIC, 2, (short) 1),
                        new NewTopic(RESULTS_TOPIC, 1, (short) 1))).all().get();
            }
            Map<String, String> vigil = new HashMap<>();
            vigil.put("vigil.kafka.brokers", bootstrap);
            vigil.put("vigil.kafka.security-protocol", "SASL_SSL");
            vigil.put("vigil.kafka.sasl.mechanism", "SCRAM-SHA-512");
            vigil.put("vigil.kafka.sasl.username", SCRAM_USER);
            vigil.put("vigil.kafka.sasl.password", "${file::" + secretFile("kafka-password", SCRAM_PASSWORD) + "}");
            vigil.put("vigil.kafka.tls.trust-store", TlsFiles.trustStore().toString());
            vigil.put("vigil.kafka.tls.trust-store-password", TlsFiles.PASSWORD);
            return vigil;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-JVM Kafka broker with SASL over TLS", e);
        }
    }

    /** A secret in a file of its own, as a mounted secret is, ending with a line break. */
    static Path secretFile(String name, String secret) {
        Path file = Path.of("target", "tls", name).toAbsolutePath();
        try {
            Files.writeString(file, secret + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
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
