package dev.vigil.camel.broker;

import dev.vigil.camel.sink.SinkUris;
import dev.vigil.service.config.VigilConfig;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The brokers the configuration connects to: Kafka at {@code vigil.kafka.brokers} for the source, and the Kafka
 * cluster of each {@code kafka:} sink (its {@code brokers} parameter, else the same); Artemis at {@code vigil.jms.url}
 * for the source and every {@code jms:} sink. One entry per distinct address, named {@code kafka}, {@code kafka-2},
 * ..., and {@code jms}. A JMS sink without {@code vigil.jms.url} uses the connection factory's default broker,
 * which Vigil does not watch.
 */
final class ConfiguredBrokers {
    private ConfiguredBrokers() {
    }

    /** {@code resolve} resolves Camel's {@code {{...}}} placeholders of a sink URI. */
    static List<Broker> of(VigilConfig config, UnaryOperator<String> resolve) {
        Map<String, List<String>> kafka = new LinkedHashMap<>();
        config.kafka().brokers().ifPresent(b -> kafka.computeIfAbsent(b, x -> new ArrayList<>()).add("source"));
        List<String> jms = new ArrayList<>();
        if (config.jms().url().isPresent()) {
            jms.add("source");
        }
        for (Map.Entry<String, String> sink : SinkUris.of(config.sink()).entrySet()) {
            String uri = resolve.apply(sink.getValue());
            switch (SinkUris.scheme(uri)) {
                case "kafka" -> {
                    String address = parameter(uri, "brokers");
                    if (address == null) {
                        address = config.kafka().brokers().orElse(null);
                    }
                    if (address != null) {
                        kafka.computeIfAbsent(address, x -> new ArrayList<>()).add("sink " + sink.getKey());
                    }
                }
                case "jms" -> jms.add("sink " + sink.getKey());
                default -> {
                    // not a broker
                }
            }
        }
        List<Broker> brokers = new ArrayList<>();
        for (Map.Entry<String, List<String>> k : kafka.entrySet()) {
            String name = brokers.isEmpty() ? "kafka" : "kafka-" + (brokers.size() + 1);
            brokers.add(new Broker(name, Broker.Kind.KAFKA, k.getKey(), List.copyOf(k.getValue())));
        }
        if (config.jms().url().isPresent() && !jms.isEmpty()) {
            brokers.add(new Broker("jms", Broker.Kind.JMS, new JmsConnection(config.jms()).address(),
                    List.copyOf(jms)));
        }
        return List.copyOf(brokers);
    }

    /** A query parameter of an endpoint URI, decoded, or null. */
    static String parameter(String uri, String name) {
        int query = uri.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String pair : uri.substring(query + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
