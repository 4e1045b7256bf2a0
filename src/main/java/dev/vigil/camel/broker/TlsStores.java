package dev.vigil.camel.broker;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.service.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Checks of the TLS stores a broker connection names, at start: a wrong path fails the start, not the first send. */
final class TlsStores {
    private TlsStores() {
    }

    /** {@code prefix} is the connection's key prefix, e.g. {@code vigil.kafka.}. */
    static void validate(String prefix, VigilConfig.Tls tls) {
        store(prefix + "tls.trust-store", tls.trustStore(), prefix + "tls.trust-store-password",
                tls.trustStorePassword(), tls.trustStoreType());
        store(prefix + "tls.key-store", tls.keyStore(), prefix + "tls.key-store-password", tls.keyStorePassword(),
                tls.keyStoreType());
    }

    private static void store(String key, Optional<String> path, String passwordKey, Optional<String> password,
            String type) {
        if (path.isEmpty()) {
            return;
        }
        if (!Files.isReadable(Path.of(path.get()))) {
            throw new InvalidConfigurationException(key, "'" + path.get() + "' is not a readable file");
        }
        if (!"PEM".equalsIgnoreCase(type) && password.filter(p -> !p.isEmpty()).isEmpty()) {
            throw new InvalidConfigurationException(passwordKey, "required for the " + type + " store " + path.get()
                    + " (set it from the environment, " + KafkaConnection.envName(passwordKey) + ", or a file)");
        }
    }
}
