package dev.vigil.camel.broker;

import java.time.Instant;

/**
 * What the last checks of a broker found: {@code up}, {@code down} or, before the first check has answered,
 * {@code unknown}; since when; and, when down, why ({@code loginRefused} when the broker refused Vigil's user).
 */
public record BrokerStatus(Broker broker, String user, State state, Instant since, String reason,
        boolean loginRefused, Instant lastCheck, long failedChecks) {
    public enum State {
        UNKNOWN, UP, DOWN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
