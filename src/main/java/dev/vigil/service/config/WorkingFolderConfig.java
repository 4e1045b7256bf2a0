package dev.vigil.service.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Reads {@code application.properties} of the working folder at start-up, so the file an operator edits (the
 * repository's top-level one, beside {@code routes/}) takes effect at the next start without a rebuild. Its
 * ordinal, {@value #ORDINAL}, puts it above the packaged defaults (the values the build recorded) and below
 * {@code config/application.properties} (260), {@code .env}, environment variables and system properties, so the
 * usual overrides still win. Absent file, no source: the packaged defaults apply.
 */
public final class WorkingFolderConfig implements ConfigSourceFactory {
    /** The file, relative to the working folder. */
    public static final Path FILE = Path.of("application.properties");
    static final int ORDINAL = 255;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!Files.isRegularFile(FILE)) {
            return List.of();
        }
        try {
            return List.of(new PropertiesConfigSource(FILE.toAbsolutePath().toUri().toURL(), ORDINAL));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE.toAbsolutePath(), e);
        }
    }
}
