package dev.vigil.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The service starts on the packaged default configuration and reports itself ready. */
@QuarkusTest
class ApplicationStartTest {

    @Inject
    DetectionSettings settings;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void start_defaultConfiguration_buildsDefaultPipeline() {
        assertEquals("isolation_forest", settings.spec().description());
        assertEquals(0.7, settings.thresholds().anomaly());
    }

    @Test
    void start_defaultConfiguration_isReady() {
        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"));
    }
}
