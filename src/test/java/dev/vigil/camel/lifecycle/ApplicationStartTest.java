package dev.vigil.camel.lifecycle;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.detect.grade.Grading;
import dev.vigil.service.config.DetectionSettings;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The service starts on the packaged default configuration, reports itself ready, and keeps its API shut. */
@QuarkusTest
class ApplicationStartTest {

    @Inject
    DetectionSettings settings;

    @Inject
    CamelContext camel;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void start_defaultConfiguration_buildsDefaultPipeline() {
        assertEquals("isolation_forest", settings.spec().description());
        assertEquals(0.7, settings.grading().scores().anomaly());
        assertEquals(Grading.Mode.FIXED, settings.grading().mode());
    }

    /** The packaged default requires keys and configures none: every API request is refused. */
    @Test
    void start_defaultConfiguration_refusesEveryApiRequest() {
        given().contentType("application/json").header("X-API-Key", "anything").body("{\"a\":1}")
                .when().post("/api/v1/score").then().statusCode(401).body("error", equalTo("invalid_api_key"));
        given().contentType("application/json").body("{\"a\":1}")
                .when().post("/api/v1/ingest").then().statusCode(401).body("error", equalTo("missing_api_key"));
    }

    /** The routes' placeholders are answered by {@link PlaceholderSource}, ahead of Camel Quarkus's own source. */
    @Test
    void start_defaultConfiguration_placeholdersFromPlaceholderSourceFirst() {
        var sources = ((PropertiesComponent) camel.getPropertiesComponent()).getPropertiesSources();
        assertEquals(PlaceholderSource.class, sources.get(0).getClass(), sources.toString());
        assertEquals(ConfigProvider.getConfig().getValue("vigil.kafka.topic", String.class),
                camel.resolvePropertyPlaceholders("{{vigil.kafka.topic}}"));
    }

    @Test
    void start_defaultConfiguration_isReady() {
        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"));
    }
}
