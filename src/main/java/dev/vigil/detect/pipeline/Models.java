package dev.vigil.detect.pipeline;

import dev.vigil.detect.InvalidConfigurationException;
import dev.vigil.detect.ModelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Every model by name: the built-ins ({@link ModelType}), then those registered through the service loader. */
public final class Models {
    private static volatile List<ModelProvider> all;

    private Models() {
    }

    public static List<ModelProvider> all() {
        List<ModelProvider> providers = all;
        if (providers == null) {
            providers = new ArrayList<>(List.of(ModelType.values()));
            for (ModelProvider p : ServiceLoader.load(ModelProvider.class)) {
                providers.add(p);
            }
            all = providers = List.copyOf(providers);
        }
        return providers;
    }

    /** The model named {@code name}, or an error at {@code key} listing the allowed names. */
    public static ModelProvider byName(String key, String name) {
        String wanted = name == null ? null : name.trim();
        for (ModelProvider p : all()) {
            if (p.configName().equals(wanted)) {
                return p;
            }
        }
        throw new InvalidConfigurationException(key, "unknown model '" + name + "'; allowed: " + allowedNames());
    }

    public static String allowedNames() {
        return all().stream().map(ModelProvider::configName).collect(Collectors.joining(", "));
    }
}
