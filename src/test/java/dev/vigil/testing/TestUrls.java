package dev.vigil.testing;

import java.net.URI;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Addresses of the running test application, from the URLs Quarkus publishes to tests ({@code test.url},
 * {@code test.management.url}), for clients other than RestAssured.
 */
public final class TestUrls {
    private TestUrls() {
    }

    /** An address on the application port, e.g. {@code api("/api/v1/score")}. */
    public static URI api(String path) {
        return URI.create(ConfigProvider.getConfig().getValue("test.url", String.class) + path);
    }

    /** An address on the management port (health, metrics), e.g. {@code management("/q/health/ready")}. */
    public static URI management(String path) {
        // test.management.url ends in the management root path (/q); the paths given here are absolute.
        return URI.create(ConfigProvider.getConfig().getValue("test.management.url", String.class)).resolve(path);
    }
}
