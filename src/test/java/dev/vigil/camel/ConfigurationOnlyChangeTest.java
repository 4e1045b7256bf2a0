package dev.vigil.camel;

import static dev.vigil.testing.TestApiKeys.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.KafkaResource;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Redirecting the critical sink to a Kafka topic is a configuration change only: no code, no rebuild. (The profile
 * sends critical results to a topic, one record per result; its test model scores a point by its first feature.)
 */
@QuarkusTest
@TestProfile(TestProfiles.TestModels.class)
class ConfigurationOnlyChangeTest {
    static final String KEY = "config-sensor";

    private static String point(String id, double score) {
        return String.format(Locale.ROOT, "{\"id\":\"%s\",\"key\":\"%s\",\"score\":%.2f,\"pressure\":1000}", id, KEY, score);
    }

    @Test
    void criticalSinkRedirectedToKafka_oneRecordPerCriticalResult() {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            array.append(i == 0 ? "" : ",").append(point("cc-" + i, TestProfiles.TestModels.LOW));
        }
        api().contentType("application/json").body(array.append("]").toString())
                .when().post("/api/v1/score").then().statusCode(200);
        String critical = "[" + point("cc-x1", TestProfiles.TestModels.CRITICAL) + ","
                + point("cc-x2", TestProfiles.TestModels.CRITICAL) + "]";
        List<String> severities = api().contentType("application/json").body(critical)
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
            consumer.subscribe(List.of(TestProfiles.TestModels.CRITICAL_TOPIC));
            long deadline = System.currentTimeMillis() + 20_000;
            while (ids.size() < 2 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    Map<String, Object> result = JsonLines.parse(r.value());
                    assertEquals("critical", result.get("severity"));
                    if (KEY.equals(result.get("key"))) {
                        ids.add((String) result.get("id"));
                    }
                }
            }
        }
        assertEquals(Set.of("cc-x1", "cc-x2"), ids);
        assertFalse(Files.exists(TestProfiles.TestModels.DIRS.sink("critical")), "the critical file sink must not be used");
    }
}
