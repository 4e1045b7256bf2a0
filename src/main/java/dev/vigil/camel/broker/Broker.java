package dev.vigil.camel.broker;

import java.util.List;

/**
 * A broker Vigil's configuration connects to: its name (health check {@code vigil-broker-<name>}, metric tag),
 * kind, address as people may read it (no parameters, no secrets) and what uses it ({@code source},
 * {@code sink critical}, ...).
 */
public record Broker(String name, Kind kind, String address, List<String> usedBy) {
    public enum Kind {
        KAFKA("Kafka"), JMS("JMS");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** {@code Kafka broker 127.0.0.1:9092 (source, sink critical)}. */
    public String describe() {
        return kind.label() + " broker " + address + " (" + String.join(", ", usedBy) + ")";
    }
}
