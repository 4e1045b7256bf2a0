package dev.vigil.camel.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.InvalidConfigurationException;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.NoSuchEndpointException;
import org.junit.jupiter.api.Test;

class StartupFailureTest {
    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 500)).build();
    }

    private static String line(Map<String, String> values, Throwable failure) {
        StartupFailure.Report r = new StartupFailure(config(values)).describe(failure);
        assertTrue(r.known(), r.line());
        return r.line();
    }

    @Test
    void describe_vigilsOwnCheck_keyValueAndWhatIsAllowed() {
        String line = line(Map.of("vigil.model.type", "knnn"), new RuntimeException("Failed to start quarkus",
                new InvalidConfigurationException("vigil.model.type", "unknown model 'knnn'; allowed: knn, zscore")));
        assertEquals("Vigil did not start: vigil.model.type='knnn': unknown model 'knnn'; allowed: knn, zscore", line);
    }

    @Test
    void describe_keyOfASecret_valueHidden() {
        String line = line(Map.of("vigil.kafka.sasl.password", "hunter2"), new InvalidConfigurationException(
                "vigil.kafka.sasl.password", "too short"));
        assertEquals("Vigil did not start: vigil.kafka.sasl.password=(hidden): too short", line);
    }

    @Test
    void describe_conversionFailure_keyValueAndReasonWithoutCodes() {
        String line = line(Map.of(), new ConfigValidationException(new ConfigValidationException.Problem[] {
            new ConfigValidationException.Problem("SRCFG00039: The config property vigil.batch.size with the config"
                    + " value \"abc\" threw an Exception whilst being converted SRCFG00029: Expected an integer"
                    + " value, got \"abc\"")}));
        assertEquals("Vigil did not start: vigil.batch.size='abc': Expected an integer value, got \"abc\"", line);
    }

    @Test
    void describe_yamlError_fileLineColumnProblemAndTheLine() {
        String message = "while scanning a simple key\n in file:routes/pipeline.yaml, line 8, column 7:\n"
                + "          steps\n          ^\ncould not find expected ':'\n in file:routes/pipeline.yaml, line 9,"
                + " column 3:\n      bad: [\n      ^\n";
        String line = line(Map.of(), new RuntimeException("Error pre-parsing resource", new RuntimeException(message)));
        assertEquals("Vigil did not start: routes/pipeline.yaml:9:3: could not find expected ':' in `bad: [`", line);
    }

    @Test
    void describe_unknownComponentInASink_theKeyThatSetIt() {
        String line = line(Map.of("vigil.sink.alerts", "lgo:vigil.alerts?level=WARN"),
                new FailedToCreateRouteException("sink-alerts", "route", "to[{{uri}}]",
                        new NoSuchEndpointException("lgo://vigil.alerts?level=WARN")));
        assertEquals("Vigil did not start: vigil.sink.alerts='lgo:vigil.alerts?level=WARN': no Camel component 'lgo'"
                + " in this build", line);
    }

    @Test
    void describe_unknownComponentInARouteFile_fileAndLine() throws Exception {
        Path routes = Files.createDirectories(Path.of("target", "startup-failure-test", "routes"));
        Files.writeString(routes.resolve("x.yaml"), "- route:\n    from:\n      uri: direct:x\n      steps:\n"
                + "        - to: lgo:dead-letter\n");
        String line = line(Map.of("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml"),
                new FailedToCreateRouteException("x", "route", "to[lgo:dead-letter]",
                        new NoSuchEndpointException("lgo://dead-letter")));
        assertEquals("Vigil did not start: " + routes + "/x.yaml:5: endpoint 'lgo://dead-letter': no Camel component"
                + " 'lgo' in this build", line);
    }

    @Test
    void describe_unknownKind_innermostMessageAndNotKnown() {
        StartupFailure.Report r = new StartupFailure(config(Map.of()))
                .describe(new RuntimeException("outer", new IllegalStateException("the disk is on fire")));
        assertFalse(r.known());
        assertEquals("Vigil did not start: IllegalStateException: the disk is on fire", r.line());
    }
}
