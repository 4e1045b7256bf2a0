package dev.vigil.camel.broker;

import static dev.vigil.camel.broker.BrokerSettings.config;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfiguredBrokersTest {
    @Test
    void of_noBroker_none() {
        assertEquals(List.of(), ConfiguredBrokers.of(config(), s -> s));
    }

    @Test
    void of_sourcesAndSinks_oneEntryPerAddressWithWhatUsesIt() {
        List<Broker> brokers = ConfiguredBrokers.of(config(
                "vigil.kafka.brokers", "k1:9092",
                "vigil.jms.url", "tcp://mq:61616?sslEnabled=true&trustStorePassword=secret",
                "vigil.sink.critical", "kafka:critical?brokers={{vigil.kafka.brokers}}",
                "vigil.sink.high", "kafka:high",
                "vigil.sink.alerts", "kafka:alerts?brokers=k2%3A9092&acks=all",
                "vigil.sink.rejected", "jms:queue:vigil.rejected"),
                uri -> uri.replace("{{vigil.kafka.brokers}}", "k1:9092"));
        assertEquals(List.of(
                new Broker("kafka", Broker.Kind.KAFKA, "k1:9092", List.of("source", "sink critical", "sink high")),
                new Broker("kafka-2", Broker.Kind.KAFKA, "k2:9092", List.of("sink alerts")),
                new Broker("jms", Broker.Kind.JMS, "tcp://mq:61616", List.of("source", "sink rejected"))), brokers);
        assertEquals("Kafka broker k1:9092 (source, sink critical, sink high)", brokers.get(0).describe());
    }

    @Test
    void of_kafkaSinkOnly_itsBrokerWatchedWithoutTheSource() {
        assertEquals(List.of(new Broker("kafka", Broker.Kind.KAFKA, "k:9092", List.of("sink low"))),
                ConfiguredBrokers.of(config("vigil.sink.low", "kafka:results?brokers=k:9092"), s -> s));
    }
}
