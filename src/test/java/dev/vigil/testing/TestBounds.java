package dev.vigil.testing;

import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The wait every test class gets (registered for all of them in META-INF/services): an Awaitility wait without its
 * own {@code atMost} gives up after {@link #WAIT}. The other bounds of the suite: RestAssured requests of
 * {@code @QuarkusTest} classes give up after {@code quarkus.http.test-timeout} (30 s), java.net.http calls go through
 * {@link Http}, child processes through {@link VigilProcess}, and every test method has a timeout
 * ({@code junit-platform.properties}).
 */
public final class TestBounds implements BeforeAllCallback {
    public static final Duration WAIT = Duration.ofSeconds(30);

    @Override
    public void beforeAll(ExtensionContext context) throws ReflectiveOperationException {
        // A @QuarkusTest class and the libraries it calls are loaded by Quarkus' class loader, not by the one of this
        // extension: set the default in the copy of Awaitility the test class sees.
        Class<?> awaitility = context.getRequiredTestClass().getClassLoader().loadClass("org.awaitility.Awaitility");
        awaitility.getMethod("setDefaultTimeout", Duration.class).invoke(null, WAIT);
    }
}
