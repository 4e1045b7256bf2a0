package dev.vigil.camel;

import static dev.vigil.testing.TestApiKeys.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.KafkaResource;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Redirecting the critical sink to a Kafka topic is a configuration change only: no code, no rebuild. */
@QuarkusTest
@TestProfile(ConfigurationOnlyChangeTest.Profile.class)
@WithTestResource(KafkaResource.class)
class ConfigurationOnlyChangeTest {
    static final TestDirs DIRS = new TestDirs("config-change");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(DIRS.overrides());
            c.putAll(TestApiKeys.overrides());
            c.put("vigil.sink.critical", "kafka:" + KafkaResource.CRITICAL_TOPIC + "?brokers={{vigil.kafka.brokers}}");
            c.put("vigil.sink.per-record.critical", "true");
            c.put("vigil.throttle.max-per-minute", "0");
            return c;
        }
    }

    @Test
    void criticalSinkRedirectedToKafka_oneRecordPerCriticalResult() {
        SensorData data = new SensorData(11);
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < 500; i++) {
            array.append(i == 0 ? "" : ",").append(SensorData.json("cc-" + i, "config-sensor", data.normal()));
        }
        api().contentType("application/json").body(array.append("]").toString())
                .when().post("/api/v1/score").then().statusCode(200);
        // Far beyond anything seen: critical with any model configuration.
        String outliers = "[{\"id\":\"cc-x1\",\"key\":\"config-sensor\",\"temperature\":1e6,\"pressure\":-1e6,\"humidity\":1e6},"
                + "{\"id\":\"cc-x2\",\"key\":\"config-sensor\",\"temperature\":-1e6,\"pressure\":1e6,\"humidity\":-1e6}]";
        List<String> severities = api().contentType("application/json").body(outliers)
                .when().post("/api/v1/score").then().statusCode(200).extract().path("results.severity");
        assertEquals(List.of("critical", "critical"), severities);

        Properties props = new Properties();
        props.put("bootstrap.servers", KafkaResource.bootstrapServers());
        props.put("group.id", "config-change-test");
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(KafkaResource.CRITICAL_TOPIC));
            long deadline = System.currentTimeMillis() + 20_000;
            while (ids.size() < 2 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    Map<String, Object> result = JsonLines.parse(r.value());
                    assertEquals("critical", result.get("severity"));
                    ids.add((String) result.get("id"));
                }
            }
        }
        assertEquals(Set.of("cc-x1", "cc-x2"), ids);
        assertFalse(Files.exists(DIRS.sink("critical")), "the critical file sink must not be used");
    }
}
