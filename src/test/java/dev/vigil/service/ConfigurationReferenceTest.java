package dev.vigil.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every vigil.* key of the packaged configuration is in the configuration reference, docs/configuration.md. */
class ConfigurationReferenceTest {
    private static final Pattern PROPERTY = Pattern.compile("^#?\\s*(vigil\\.[a-z0-9.-]+)=", Pattern.MULTILINE);
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `(vigil\\.[^`]+)` \\|", Pattern.MULTILINE);

    @Test
    void configurationReference_documentsEveryKeyOfApplicationProperties() throws IOException {
        List<Pattern> documented = new ArrayList<>();
        Matcher d = DOCUMENTED.matcher(Files.readString(Path.of("docs", "configuration.md")));
        while (d.find()) {
            // vigil.model.params.<name> documents every vigil.model.params.x
            documented.add(Pattern.compile(Pattern.quote(d.group(1)).replaceAll("<[^>]+>", "\\\\E[a-z0-9_-]+\\\\Q")));
        }
        List<String> missing = new ArrayList<>();
        Matcher p = PROPERTY.matcher(Files.readString(Path.of("application.properties")));
        while (p.find()) {
            String key = p.group(1);
            if (documented.stream().noneMatch(doc -> doc.matcher(key).matches())) {
                missing.add(key);
            }
        }
        assertTrue(documented.size() > 40, "the table of docs/configuration.md was not found");
        assertTrue(missing.isEmpty(), "keys of application.properties missing from docs/configuration.md: " + missing);
    }
}
