package dev.vigil.testing;

import java.net.URI;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Addresses of the running test application, from the URLs Quarkus publishes to tests ({@code test.url},
 * {@code test.management.url}), for clients other than RestAssured. Health and metrics follow the management
 * interface if it is switched on.
 */
public final class TestUrls {
    private TestUrls() {
    }

    /** An address on the application port, e.g. {@code api("/api/v1/score")}. */
    public static URI api(String path) {
        return URI.create(ConfigProvider.getConfig().getValue("test.url", String.class) + path);
    }

    /** An address of a management endpoint such as {@code /q/health/ready}, wherever Quarkus serves it. */
    public static URI management(String path) {
        Config config = ConfigProvider.getConfig();
        boolean separate = config.getOptionalValue("quarkus.management.enabled", Boolean.class).orElse(false);
        return URI.create(config.getValue(separate ? "test.management.url" : "test.url", String.class) + path);
    }
}
