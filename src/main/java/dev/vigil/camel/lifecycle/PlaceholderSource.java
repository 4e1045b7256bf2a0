package dev.vigil.camel.lifecycle;

import io.quarkus.arc.Unremovable;
import jakarta.inject.Singleton;
import org.apache.camel.Ordered;
import org.apache.camel.component.properties.LocationPropertiesSource;
import org.apache.camel.component.properties.PropertiesLocation;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Answers the routes' property placeholders ({@code {{vigil.kafka.topic}}}) from the application's configuration,
 * one key at a time, ahead of Camel Quarkus's own source for the same configuration.
 *
 * <p>Why: for every placeholder that Camel's own source answers, Camel 4.17 also calls its {@code loadProperties()}
 * to find where the value came from, which reads every key of the configuration (all of {@code quarkus.*},
 * {@code vigil.*}, the environment and the system properties) and then uses none of it. The routes'
 * placeholders (59 when measured) made that about a fifth of the start-up's Java samples (JFR), and the HTTP route's
 * {@code ${properties:vigil.http.ingest-mode}} paid it (about a millisecond) on every ingest request. A source that
 * names its location is asked for nothing more. The values are the same (the same configuration, looked up the
 * same way); a key it does not know goes on to the next source as before. It loads nothing in bulk, so Camel's own
 * source still serves the {@code camel.*} settings Camel Main reads.
 */
@Singleton
@Unremovable
public class PlaceholderSource implements LocationPropertiesSource, Ordered {
    /** The name Camel Quarkus's source reports, so a lookup listener sees where a value came from as before. */
    static final String NAME = "CamelMicroProfilePropertiesSource";
    private static final PropertiesLocation LOCATION = new PropertiesLocation(NAME);

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public PropertiesLocation getLocation() {
        return LOCATION;
    }

    @Override
    public String getProperty(String name) {
        return ConfigProvider.getConfig().getOptionalValue(name, String.class).orElse(null);
    }

    /** Before Camel Quarkus's source (order 0): the first source with a value answers. */
    @Override
    public int getOrder() {
        return HIGHEST;
    }
}
