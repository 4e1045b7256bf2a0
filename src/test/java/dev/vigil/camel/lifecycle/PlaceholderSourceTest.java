package dev.vigil.camel.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.LoadablePropertiesSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A placeholder is answered by {@link PlaceholderSource} with the configuration's value, and Camel no longer loads a
 * whole loadable source (as Camel Quarkus's is) to say where the value came from.
 */
class PlaceholderSourceTest {
    private static final String KEY = "vigil.test.placeholder-source";

    @AfterEach
    void clear() {
        System.clearProperty(KEY);
    }

    @Test
    void resolve_withPlaceholderSource_configuredValueAndNoBulkLoad() throws Exception {
        System.setProperty(KEY, "from-config");
        CountingSource camelQuarkusLike = new CountingSource();
        try (CamelContext camel = context(camelQuarkusLike, new PlaceholderSource())) {
            assertEquals("from-config", camel.resolvePropertyPlaceholders("{{" + KEY + "}}"));
            assertEquals("fallback", camel.resolvePropertyPlaceholders("{{vigil.test.absent:fallback}}"));
            assertEquals(0, camelQuarkusLike.loads, "whole-source loads");
        }
    }

    /** What the source above avoids: without it, every placeholder the loadable source answers loads all of it. */
    @Test
    void resolve_loadableSourceAlone_loadedOncePerPlaceholder() throws Exception {
        CountingSource camelQuarkusLike = new CountingSource();
        try (CamelContext camel = context(camelQuarkusLike)) {
            camel.resolvePropertyPlaceholders("{{other}} {{other}}");
            assertEquals(2, camelQuarkusLike.loads, "whole-source loads");
        }
    }

    private static CamelContext context(CountingSource loadable, PlaceholderSource... first) {
        CamelContext camel = new DefaultCamelContext();
        PropertiesComponent properties = (PropertiesComponent) camel.getPropertiesComponent();
        properties.addPropertiesSource(loadable);
        for (PlaceholderSource source : first) {
            properties.addPropertiesSource(source);
        }
        camel.start();
        return camel;
    }

    /** A loadable source like Camel Quarkus's: answers {@code other} and the test key, counts whole loads. */
    private static final class CountingSource implements LoadablePropertiesSource {
        int loads;

        @Override
        public String getName() {
            return "counting";
        }

        private final Properties all = new Properties();

        CountingSource() {
            all.setProperty("other", "other");
            all.setProperty(KEY, "from-counting-source");
        }

        @Override
        public String getProperty(String name) {
            return all.getProperty(name);
        }

        @Override
        public Properties loadProperties() {
            return loadProperties(name -> true);
        }

        @Override
        public Properties loadProperties(Predicate<String> filter) {
            loads++;
            Properties loaded = new Properties();
            all.stringPropertyNames().stream().filter(filter)
                    .forEach(name -> loaded.setProperty(name, all.getProperty(name)));
            return loaded;
        }

        @Override
        public void reloadProperties(String location) {
        }
    }
}
