package dev.vigil.camel.broker;

import static dev.vigil.testing.TestApiKeys.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.testing.ArtemisResource;
import dev.vigil.testing.JsonLines;
import dev.vigil.testing.SaslKafkaResource;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TlsFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.inject.Inject;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Level;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Vigil wired to brokers that require a login, as docs/brokers.md tells a user to: Kafka over SASL_SSL with
 * SCRAM-SHA-512 (the password from a file), Artemis with a login over TLS. Points come in through both, results go
 * out keyed by entity to a Kafka topic and rejections to a JMS queue; each broker has its health check, status entry
 * and gauge, including a third one that cannot be reached (the alerts sink's Kafka cluster); an Artemis outage is
 * DOWN with its reason, logged once per interval, while HTTP scoring goes on; wrong credentials give one ERROR naming
 * the broker, the user and the reason; no secret reaches the log.
 */
@QuarkusTest
@TestProfile(SecuredBrokersTest.Profile.class)
@WithTestResource(SaslKafkaResource.class)
@WithTestResource(value = ArtemisResource.class, initArgs = @ResourceArg(name = "secured", value = "true"))
class SecuredBrokersTest {
    static final TestDirs DIRS = new TestDirs("secured-brokers");
    static final String REJECTED_QUEUE = "vigil.rejected";
    /** Short, so the tests waiting for two reminders wait seconds; still twice the broker check interval. */
    static final long LOG_INTERVAL = 1_000;
    /** A port nothing listens on: the alerts sink's Kafka cluster, which Vigil cannot reach. */
    static final int DEAD_PORT = freePort();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(DIRS.overrides());
            c.putAll(TestApiKeys.overrides());
            c.put("vigil.security.admin-clients", TestApiKeys.CLIENT);
            c.put("vigil.throttle.max-per-minute", "0");
            c.put("vigil.inbox.enabled", "false");
            // Every result to one Kafka topic, one record each, keyed by entity; rejections to a JMS queue.
            for (String severity : List.of("low", "medium", "high", "critical")) {
                c.put("vigil.sink." + severity, "kafka:" + SaslKafkaResource.RESULTS_TOPIC);
                c.put("vigil.sink.per-record." + severity, "true");
            }
            c.put("vigil.sink.rejected", "jms:queue:" + REJECTED_QUEUE);
            c.put("vigil.sink.per-record.rejected", "true");
            c.put("vigil.sink.alerts", "kafka:vigil-alerts?brokers=127.0.0.1:" + DEAD_PORT + "&maxBlockMs=500");
            c.put("vigil.brokers.check-interval", "500");
            c.put("vigil.brokers.check-timeout", "2000");
            c.put("vigil.brokers.log-interval", Long.toString(LOG_INTERVAL));
            return c;
        }
    }

    @Inject
    CamelContext camel;

    static LogCapture log;

    @BeforeAll
    static void captureLog() {
        log = LogCapture.attach(LOG_INTERVAL);
    }

    @AfterAll
    static void releaseLog() {
        log.close();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ActiveMQConnectionFactory jms() {
        return new ActiveMQConnectionFactory(ArtemisResource.clientUrl(), ArtemisResource.USER,
                ArtemisResource.PASSWORD);
    }

    /** The results on the Kafka topic, read from its beginning until {@code ids} are all there (or 30 s). */
    private static Map<String, ConsumerRecord<String, String>> resultsOnKafka(Set<String> ids) {
        Properties p = SaslKafkaResource.client("SCRAM-SHA-512", SaslKafkaResource.SCRAM_USER,
                SaslKafkaResource.SCRAM_PASSWORD);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        Map<String, ConsumerRecord<String, String>> byId = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            TopicPartition partition = new TopicPartition(SaslKafkaResource.RESULTS_TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.currentTimeMillis() + 30_000;
            while (!byId.keySet().containsAll(ids) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    byId.put((String) JsonLines.parse(r.value()).get("id"), r);
                }
            }
        }
        return byId;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void securedSources_resultsKeyedByEntityOnKafka_rejectionsNamingTheirClientOnJms() throws Exception {
        SensorData data = new SensorData(16);
        Set<String> ids = new HashSet<>();
        Properties producerProps = SaslKafkaResource.client("SCRAM-SHA-512", SaslKafkaResource.SCRAM_USER,
                SaslKafkaResource.SCRAM_PASSWORD);
        producerProps.put("key.serializer", StringSerializer.class.getName());
        producerProps.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            for (int i = 0; i < 40; i++) {
                String key = "k-sensor-" + (i % 2);
                producer.send(new ProducerRecord<>(SaslKafkaResource.POINTS_TOPIC, key,
                        SensorData.json("sk-" + i, key, data.normal())));
                ids.add("sk-" + i);
            }
            producer.send(new ProducerRecord<>(SaslKafkaResource.POINTS_TOPIC, "k-bad",
                    "{\"id\":\"sk-bad\",\"temperature\":\"hot\",\"pressure\":1,\"humidity\":1}"));
        }
        try (JMSContext context = jms().createContext()) {
            for (int i = 0; i < 10; i++) {
                TextMessage m = context.createTextMessage(SensorData.json("sj-" + i, "j-sensor", data.normal())
                        .replace("\"key\":\"j-sensor\",", ""));
                m.setStringProperty("key", "j-sensor");
                context.createProducer().send(context.createQueue("vigil.points"), m);
                ids.add("sj-" + i);
            }
        }

        Map<String, ConsumerRecord<String, String>> results = resultsOnKafka(ids);
        assertTrue(results.keySet().containsAll(ids), "missing on the topic: " + ids.stream()
                .filter(id -> !results.containsKey(id)).toList());
        for (String id : ids) {
            ConsumerRecord<String, String> r = results.get(id);
            Map<String, Object> json = JsonLines.parse(r.value());
            assertEquals(json.get("key"), r.key(), "record key of " + id);
            assertEquals(json.get("severity"), header(r, "severity"), id);
            assertEquals(json.get("model"), header(r, "model"), id);
            assertEquals(json.get("state"), header(r, "state"), id);
        }
        assertEquals("j-sensor", results.get("sj-0").key());

        try (JMSContext context = jms().createContext()) {
            Message m = context.createConsumer(context.createQueue(REJECTED_QUEUE)).receive(30_000);
            assertNotNull(m, "no rejection on " + REJECTED_QUEUE);
            Map<String, Object> rejection = JsonLines.parse(m.getBody(String.class));
            assertEquals("sk-bad", rejection.get("id"));
            assertEquals("not_a_number", rejection.get("reason"));
            assertEquals("k-bad", rejection.get("client"), "a Kafka rejection names its client, the record key");
            assertEquals("k-bad", m.getStringProperty("key"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(String name) {
        String body = RestAssured.given().baseUri(dev.vigil.testing.TestUrls.management("/").toString())
                .get("/q/health/well").then().extract().asString();
        List<Map<String, Object>> checks = (List<Map<String, Object>>) JsonLines.parse(body).get("checks");
        return checks.stream().filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no health check " + name + " in " + body));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> check) {
        return (Map<String, Object>) check.get("data");
    }

    @Test
    void health_eachConfiguredBroker_itsCheckStatusAndGauge_readinessUnaffected() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals("UP", check("vigil-broker-kafka").get("status"));
            assertEquals("UP", check("vigil-broker-jms").get("status"));
            assertEquals("DOWN", check("vigil-broker-kafka-2").get("status"));
        });
        Map<String, Object> kafka = data(check("vigil-broker-kafka"));
        assertEquals(SaslKafkaResource.bootstrapServers(), kafka.get("address"));
        assertEquals("source, sink critical, sink high, sink medium, sink low", kafka.get("usedBy"));
        assertEquals(SaslKafkaResource.SCRAM_USER, kafka.get("user"));
        Map<String, Object> jms = data(check("vigil-broker-jms"));
        assertEquals(ArtemisResource.url(), jms.get("address"));
        assertEquals("source, sink rejected", jms.get("usedBy"));
        Map<String, Object> dead = data(check("vigil-broker-kafka-2"));
        assertEquals("127.0.0.1:" + DEAD_PORT, dead.get("address"));
        assertEquals("sink alerts", dead.get("usedBy"));
        assertEquals("no answer within 2000 ms", dead.get("reason"));

        RestAssured.given().baseUri(dev.vigil.testing.TestUrls.management("/").toString())
                .get("/q/health/ready").then().statusCode(200);
        String status = api().get("/api/v1/status").then().statusCode(200).extract().asString();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> brokers = (List<Map<String, Object>>) JsonLines.parse(status).get("brokers");
        assertEquals(List.of("kafka", "kafka-2", "jms"), brokers.stream().map(b -> b.get("name")).toList());
        assertEquals(List.of("up", "down", "up"), brokers.stream().map(b -> b.get("status")).toList());
        assertEquals("no answer within 2000 ms", brokers.get(1).get("reason"));
        assertEquals(SaslKafkaResource.SCRAM_USER, brokers.get(0).get("user"), "an admin client sees the login");
        assertEquals(ArtemisResource.url(), brokers.get(2).get("address"), "and the address");
        String seenByOther = RestAssured.given().header(TestApiKeys.HEADER, TestApiKeys.HASHED_KEY)
                .get("/api/v1/status").then().statusCode(200).extract().asString();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> others = (List<Map<String, Object>>) JsonLines.parse(seenByOther).get("brokers");
        assertEquals(List.of("up", "down", "up"), others.stream().map(b -> b.get("status")).toList());
        assertTrue(others.stream().noneMatch(b -> b.containsKey("address") || b.containsKey("user")),
                "another client sees the brokers' state, not where they are nor the login: " + others);
        String metrics = RestAssured.given().baseUri(dev.vigil.testing.TestUrls.management("/").toString())
                .get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("vigil_broker_up{broker=\"kafka\"} 1.0"), metrics);
        assertTrue(metrics.contains("vigil_broker_up{broker=\"kafka-2\"} 0.0"), metrics);
        assertTrue(metrics.contains("vigil_broker_up{broker=\"jms\"} 1.0"), metrics);
    }

    @Test
    void unreachableKafka_clientWarningsHeldBack_oneLinePerIntervalWithTheirCount() {
        // kafka-2 is down from the start: its admin client warns on every reconnect attempt.
        String still = "Kafka broker 127.0.0.1:" + DEAD_PORT + " (sink alerts) still unreachable";
        log.clear();
        await().atMost(Duration.ofSeconds(3 * LOG_INTERVAL / 1000 + 10)).until(() -> log.lines().stream()
                .filter(l -> l.text().startsWith(still)).count() >= 2);
        List<LogCapture.Line> lines = log.lines();
        List<LogCapture.Line> reminders = lines.stream().filter(l -> l.text().startsWith(still)).toList();
        for (int i = 1; i < reminders.size(); i++) {
            long gap = reminders.get(i).millis() - reminders.get(i - 1).millis();
            assertTrue(gap >= LOG_INTERVAL, "two lines " + gap + " ms apart: " + reminders);
        }
        assertTrue(reminders.stream().anyMatch(l -> !l.text().endsWith("; 0 warnings of its clients held back")),
                "the Kafka client's warnings are counted while held back: " + reminders);
        assertEquals(List.of(), lines.stream().filter(l -> BrokerLogFilter.kindOf(l.logger()) == Broker.Kind.KAFKA
                && l.level().intValue() >= Level.WARNING.intValue()).toList(),
                "no Kafka client warning passes while a Kafka broker is down");
    }

    @Test
    void artemisOutage_downWithReasonOnceThenPerInterval_httpScoringGoesOn_upAgain() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> "UP".equals(check("vigil-broker-jms").get("status")));
        log.clear();
        ArtemisResource.stopBroker();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> "DOWN".equals(check("vigil-broker-jms").get("status")));
            assertNotNull(data(check("vigil-broker-jms")).get("reason"));
            RestAssured.given().baseUri(dev.vigil.testing.TestUrls.management("/").toString())
                    .get("/q/health/ready").then().statusCode(200);
            api().contentType("application/json").body("{\"key\":\"http-during-outage\",\"temperature\":20}")
                    .post("/api/v1/score").then().statusCode(200);
            String broker = "JMS broker " + ArtemisResource.url() + " (source, sink rejected)";
            await().atMost(Duration.ofSeconds(3 * LOG_INTERVAL / 1000 + 5)).until(() -> log.lines().stream()
                    .anyMatch(l -> l.text().startsWith(broker + " still unreachable")));
            List<LogCapture.Line> lines = log.lines();
            List<LogCapture.Line> down = lines.stream().filter(l -> l.text().startsWith(broker + " is unreachable"))
                    .toList();
            assertEquals(1, down.size(), lines.toString());
            long since = down.get(0).millis();
            assertEquals(List.of(), lines.stream().filter(l -> l.millis() > since
                    && BrokerLogFilter.kindOf(l.logger()) == Broker.Kind.JMS
                    && l.level().intValue() >= Level.WARNING.intValue()).toList(),
                    "no JMS client warning passes once the broker is known down");
        } finally {
            ArtemisResource.startBroker();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "UP".equals(check("vigil-broker-jms").get("status")));
        assertEquals(1, log.lines().stream().filter(l -> l.text().contains(ArtemisResource.url())
                && l.text().contains("is reachable again after")).count());
    }

    @Test
    void wrongCredentials_oneErrorNamingBrokerUserAndReason_noSecretLogged() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("vigil.kafka.brokers", SaslKafkaResource.bootstrapServers());
        settings.put("vigil.kafka.security-protocol", "SASL_SSL");
        settings.put("vigil.kafka.sasl.mechanism", "SCRAM-SHA-512");
        settings.put("vigil.kafka.sasl.username", SaslKafkaResource.SCRAM_USER);
        settings.put("vigil.kafka.sasl.password", "wrong-kafka-password");
        settings.put("vigil.kafka.tls.trust-store", TlsFiles.trustStore().toString());
        settings.put("vigil.kafka.tls.trust-store-password", TlsFiles.PASSWORD);
        settings.put("vigil.jms.url", ArtemisResource.url());
        settings.put("vigil.jms.username", ArtemisResource.USER);
        settings.put("vigil.jms.password", "wrong-jms-password");
        settings.put("vigil.jms.tls.enabled", "true");
        settings.put("vigil.jms.tls.trust-store", TlsFiles.trustStore().toString());
        settings.put("vigil.jms.tls.trust-store-password", TlsFiles.PASSWORD);
        settings.put("vigil.brokers.check-interval", "300");
        settings.put("vigil.brokers.check-timeout", "5000");
        VigilConfig config = new SmallRyeConfigBuilder().withMapping(VigilConfig.class)
                .withSources(new PropertiesConfigSource(settings, "test", 500)).build()
                .getConfigMapping(VigilConfig.class);
        log.clear();
        BrokerWatch watch = new BrokerWatch(config, camel, new VigilMetrics(new SimpleMeterRegistry()),
                new BrokerConnections(config));
        watch.start(null);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> watch.statuses().stream()
                    .allMatch(s -> s.state() == BrokerStatus.State.DOWN));
            await().atMost(Duration.ofSeconds(5)).until(() -> errors(log.lines()).size() >= 2);
            for (BrokerStatus s : watch.statuses()) {
                assertTrue(s.loginRefused(), s.toString());
            }
            List<String> errors = errors(log.lines());
            assertEquals(2, errors.size(), errors.toString());
            String kafka = errors.stream().filter(e -> e.startsWith("Kafka broker")).findFirst().orElseThrow();
            assertTrue(kafka.startsWith("Kafka broker " + SaslKafkaResource.bootstrapServers() + " (source) refused"
                    + " the login of user 'vigil-scram': "), kafka);
            assertTrue(kafka.contains("invalid credentials with SASL mechanism SCRAM-SHA-512"), kafka);
            String jmsError = errors.stream().filter(e -> e.startsWith("JMS broker")).findFirst().orElseThrow();
            assertTrue(jmsError.startsWith("JMS broker " + ArtemisResource.url() + " (source) refused the login of"
                    + " user 'vigil': "), jmsError);
            assertTrue(jmsError.contains("AMQ229031"), jmsError);
        } finally {
            watch.stop(null);
        }
        List<String> secrets = List.of("wrong-kafka-password", "wrong-jms-password", SaslKafkaResource.SCRAM_PASSWORD,
                SaslKafkaResource.PLAIN_PASSWORD, ArtemisResource.PASSWORD, TlsFiles.PASSWORD);
        for (LogCapture.Line line : log.lines()) {
            for (String secret : secrets) {
                assertFalse(line.text().contains(secret), "a secret in the log: " + line);
            }
        }
    }

    private static List<String> errors(List<LogCapture.Line> lines) {
        List<String> errors = new ArrayList<>();
        lines.stream().filter(l -> l.level() == org.jboss.logmanager.Level.ERROR || l.level() == Level.SEVERE)
                .filter(l -> l.from(BrokerWatch.class.getName())).forEach(l -> errors.add(l.text()));
        return errors;
    }
}
