package dev.vigil.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/**
 * The working folder's application.properties is a configuration source of its own (the tests run in the repository
 * root, so it is the top-level file): above the packaged copy, below config/application.properties.
 */
class WorkingFolderConfigTest {
    @Test
    void getConfigSources_fileInTheWorkingFolder_itsValuesBetweenPackagedAndConfigFolder() throws IOException {
        List<ConfigSource> sources = StreamSupport.stream(new WorkingFolderConfig().getConfigSources(null)
                .spliterator(), false).toList();
        assertEquals(1, sources.size());
        ConfigSource source = sources.get(0);
        assertEquals(255, source.getOrdinal());
        Properties file = new Properties();
        try (Reader r = Files.newBufferedReader(WorkingFolderConfig.FILE)) {
            file.load(r);
        }
        assertEquals(file.getProperty("vigil.model.type"), source.getValue("vigil.model.type"));
        assertEquals(file.stringPropertyNames(), source.getPropertyNames());
    }
}
