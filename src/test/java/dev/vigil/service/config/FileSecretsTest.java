package dev.vigil.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileSecretsTest {
    private static final Path DIR = Path.of("target", "file-secrets-test").toAbsolutePath();

    private static SmallRyeConfig config(Map<String, String> values) {
        // As Quarkus does: the handlers listed in META-INF/services are discovered.
        return new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredSecretKeysHandlers()
                .withSources(new PropertiesConfigSource(values, "test", 500)).build();
    }

    @Test
    void expression_secretFileEndingWithALineBreak_theValueWithoutIt() throws Exception {
        Path file = Files.createDirectories(DIR).resolve("kafka-password");
        Files.writeString(file, "s3cret with spaces \\ and \"quotes\"\n");
        SmallRyeConfig config = config(Map.of("vigil.kafka.sasl.password", "${file::" + file + "}"));
        assertEquals("s3cret with spaces \\ and \"quotes\"", config.getValue("vigil.kafka.sasl.password", String.class));
    }

    @Test
    void decode_noLineBreak_valueAsIs() throws Exception {
        Path file = Files.createDirectories(DIR).resolve("crlf");
        Files.writeString(file, "a\r\n");
        assertEquals("a", new FileSecrets().decode(file.toString()));
        Files.writeString(file, "b");
        assertEquals("b", new FileSecrets().decode(file.toString()));
    }

    @Test
    void decode_missingFile_errorNamesThePathOnly() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> new FileSecrets().decode("/nowhere/secret"));
        assertTrue(e.getMessage().contains("/nowhere/secret"), e.getMessage());
        assertFalse(e.getMessage().contains("NoSuchFile") && e.getMessage().contains("\n"), e.getMessage());
    }
}
