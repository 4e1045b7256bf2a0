package dev.vigil.service.config;

import io.smallrye.config.SecretKeysHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Secrets read from files: {@code vigil.kafka.sasl.password=${file::/run/secrets/kafka-password}} takes the value from
 * that file (a Docker or Kubernetes secret mounted as a file, a systemd credential), with its final line break
 * removed. Works for any key, in any configuration source. The value is never logged; an error names only the path.
 */
public final class FileSecrets implements SecretKeysHandler {
    @Override
    public String decode(String path) {
        try {
            String value = Files.readString(Path.of(path.strip()), StandardCharsets.UTF_8);
            return value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                    : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        } catch (IOException e) {
            throw new UncheckedIOException("secret file " + path + " cannot be read: " + e.getClass().getSimpleName(),
                    e);
        }
    }

    @Override
    public String getName() {
        return "file";
    }
}
