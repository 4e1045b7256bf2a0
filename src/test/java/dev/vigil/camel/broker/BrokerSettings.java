package dev.vigil.camel.broker;

import dev.vigil.service.config.VigilConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;

/** A {@link VigilConfig} from a few keys, as tests of the broker settings need. */
final class BrokerSettings {
    private BrokerSettings() {
    }

    /** {@code keyValues}: key, value, key, value, ... */
    static VigilConfig config(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new SmallRyeConfigBuilder().withMapping(VigilConfig.class)
                .withSources(new PropertiesConfigSource(map, "test", 500)).build().getConfigMapping(VigilConfig.class);
    }
}
