package dev.vigil.camel.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.Http;
import dev.vigil.testing.JsonLines;
import dev.vigil.testing.ParallelSafe;
import dev.vigil.testing.VigilProcess;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as an operator starts it: the application.properties of its working folder is read (an edit
 * applies at the next start, no rebuild), and a start that fails ends with one ERROR line naming the key or the
 * route file and line, the value and what is allowed, no stack trace, and a non-zero exit code.
 */
@ParallelSafe
class StartupIT {
    private static final Path BASE = Path.of("target", "startup-it").toAbsolutePath();

    private static Path folder(String name) throws Exception {
        Path dir = BASE.resolve(name);
        VigilProcess.deleteTree(dir);
        return Files.createDirectories(dir);
    }

    /** The process's console, without blank lines. */
    private static List<String> console(VigilProcess p) throws Exception {
        return Files.readAllLines(p.log(), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }

    /** Exits non-zero; its last line is the one ERROR, saying {@code expected}; no stack trace above it. */
    private static void assertOneFinalLine(VigilProcess p, String expected) throws Exception {
        assertNotEquals(0, p.exitCode(), p.logTail());
        List<String> lines = console(p);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains(" ERROR [dev.vigil.camel.lifecycle.VigilMain] "), last);
        assertTrue(last.endsWith("Vigil did not start: " + expected), last);
        assertEquals(1, lines.stream().filter(l -> l.contains(" ERROR ")).count(), p.logTail());
        assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by")).toList());
    }

    /**
     * The packaged defaults alone (no file in the working folder, no key configured): ready, the default pipeline,
     * and the API shut, every request refused.
     */
    @Test
    void start_packagedDefaults_readyWithTheDefaultPipeline_everyApiRequestRefused() throws Exception {
        try (VigilProcess p = VigilProcess.start("defaults", folder("defaults"),
                Map.of("vigil.security.api-key-hashes", ""))) {
            HttpResponse<String> ready = p.get(p.management("/q/health/ready"));
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("UP", JsonLines.parse(ready.body()).get("status"));
            String log = Files.readString(p.log());
            assertTrue(log.contains("Detection pipeline: isolation_forest (fallback zscore), windows in float32; fixed"
                    + " thresholds medium 0.6, high 0.8, critical 0.9, anomaly 0.7"), log);
            assertTrue(log.contains("Configuration: the packaged defaults only"), log);

            HttpResponse<String> wrongKey = p.post("/api/v1/score", "application/json", "{\"a\":1}");
            assertEquals(401, wrongKey.statusCode(), wrongKey.body());
            assertEquals("invalid_api_key", JsonLines.parse(wrongKey.body()).get("error"));
            HttpResponse<String> noKey = Http.send(HttpRequest.newBuilder(p.api("/api/v1/ingest"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                    .build());
            assertEquals(401, noKey.statusCode(), noKey.body());
            assertEquals("missing_api_key", JsonLines.parse(noKey.body()).get("error"));
        }
    }

    /**
     * The jar carries application.properties only under META-INF/vigil, for the report of a failed start: at the
     * jar's root SmallRye Config would open the whole jar as a zip file system to read it. The running service takes
     * the values the build recorded (every packaged test depends on them, e.g. AttackIT on the HTTP metric patterns).
     */
    @Test
    void jar_packagedDefaultsRecordedByTheBuild_theFileOnlyWhereTheFailureReportReadsIt() throws Exception {
        try (JarFile jar = new JarFile(VigilProcess.RUN_JAR.toFile())) {
            assertNull(jar.getEntry("application.properties"));
            ZipEntry copy = jar.getEntry("META-INF/vigil/application.properties");
            assertNotNull(copy, "the failure report's copy");
            try (InputStream in = jar.getInputStream(copy)) {
                assertEquals(Files.readString(Path.of("application.properties")),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void start_unknownModel_oneFinalErrorNamingKeyValueWhereAndWhatIsAllowed() throws Exception {
        VigilProcess p = VigilProcess.startExpectingExit("unknown-model", folder("unknown-model"),
                Map.of("vigil.model.type", "knnn"));
        assertOneFinalLine(p, "vigil.model.type='knnn' (system property -Dvigil.model.type): unknown model 'knnn';"
                + " allowed: isolation_forest, knn, adaptive_svm, zscore, random_cut_forest");
    }

    @Test
    void start_workingFolderFileWithABadValue_errorNamesTheFileAndLine() throws Exception {
        Path dir = folder("bad-file");
        Files.writeString(dir.resolve("application.properties"), "# edited by hand\nvigil.batch.size=many\n");
        VigilProcess p = VigilProcess.startExpectingExit("bad-file", dir, Map.of());
        assertOneFinalLine(p, "vigil.batch.size='many' (" + dir.resolve("application.properties") + ":2): Expected"
                + " an integer value, got \"many\"");
    }

    @Test
    void start_routeFileWithAnUnknownComponent_errorNamesTheFileAndLine() throws Exception {
        Path dir = folder("route-typo");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Path sinks = routes.resolve("sinks.yaml");
        List<String> lines = Files.readAllLines(sinks);
        int typo = lines.indexOf("        - to: direct:dead-letter");
        assertTrue(typo > 0, "the sink-failed route's last step, to make a typo in");
        lines.set(typo, "        - to: lgo:dead-letter");
        Files.write(sinks, lines);
        VigilProcess p = VigilProcess.startExpectingExit("route-typo", dir,
                Map.of("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml"));
        assertOneFinalLine(p, routes + "/sinks.yaml:" + (typo + 1) + ": endpoint 'lgo://dead-letter': no Camel"
                + " component 'lgo' in this build");
    }

    @Test
    void start_workingFolderFileEdited_appliesWithoutRebuild_andTheStartSaysWhichFilesItRead() throws Exception {
        Path dir = folder("edited");
        Files.writeString(dir.resolve("application.properties"), "vigil.model.type=zscore\n");
        try (VigilProcess p = VigilProcess.start("edited", dir, Map.of())) {
            assertEquals("model", ((Map<?, ?>) ((List<?>) p.status().get("pipelines")).get(0)).get("role"));
            assertTrue(((Map<?, ?>) ((List<?>) p.status().get("pipelines")).get(0)).get("stages").toString()
                    .contains("zscore"), p.status().toString());
            String log = Files.readString(p.log());
            assertTrue(log.contains("Configuration: the packaged defaults, then " + dir.resolve("application.properties")
                    + " (edits apply at the next start)"), log);
            assertTrue(log.contains("Detection pipeline: zscore"), log);
        }
    }
}
