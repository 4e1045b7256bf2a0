package dev.vigil.camel.lifecycle;

import dev.vigil.service.config.WorkingFolderConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Says at start which configuration files were read, so an operator knows which file an edit must go to: the
 * packaged defaults, then {@code application.properties} and {@code config/application.properties} of the working
 * folder when they are there ({@link WorkingFolderConfig}); environment variables and system properties win over
 * all of them.
 */
@ApplicationScoped
public class ConfigurationFiles {
    private static final Logger LOG = Logger.getLogger(ConfigurationFiles.class);
    static final Path CONFIG_FOLDER_FILE = Path.of("config", "application.properties");

    void report(@Observes StartupEvent event) {
        LOG.info(describe());
    }

    static String describe() {
        List<String> read = new ArrayList<>();
        for (Path file : List.of(WorkingFolderConfig.FILE, CONFIG_FOLDER_FILE)) {
            if (Files.isRegularFile(file)) {
                read.add(file.toAbsolutePath().normalize().toString());
            }
        }
        return read.isEmpty()
                ? "Configuration: the packaged defaults only (no application.properties or config/application.properties"
                        + " in " + Path.of("").toAbsolutePath() + "), then environment variables and system properties"
                : "Configuration: the packaged defaults, then " + String.join(", then ", read)
                        + " (edits apply at the next start), then environment variables and system properties";
    }
}
