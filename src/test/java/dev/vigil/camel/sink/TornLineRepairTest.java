package dev.vigil.camel.sink;

import static dev.vigil.testing.TestApiKeys.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.TestDirs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A file sink whose last append a crash cut short (as a SIGKILL during a large write does; JmsCrashIT and
 * FileInboxCrashIT kill the packaged jar mid-write): the service starts with a low-results file that ends in a
 * partial line, and its first results must start on a line of their own instead of being glued onto the
 * fragment, which would make them unreadable.
 */
@QuarkusTest
@TestProfile(TornLineRepairTest.Profile.class)
class TornLineRepairTest {
    static final TestDirs DIRS = new TestDirs("torn-line");
    static final String COMPLETE = "{\"id\":\"before-1\",\"key\":\"torn-sensor\",\"severity\":\"low\"}";
    static final String FRAGMENT = "{\"id\":\"before-2\",\"key\":\"torn-sen";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(DIRS.overrides());
            c.putAll(TestApiKeys.overrides());
            c.put("vigil.throttle.max-per-minute", "0");
            c.put("vigil.thresholds.medium", "1.0");
            c.put("vigil.thresholds.high", "1.0");
            c.put("vigil.thresholds.critical", "1.0");
            c.put("vigil.thresholds.anomaly", "1.0");
            // What the crashed process left, in place before this one starts.
            try {
                Path low = DIRS.sink("low");
                Files.createDirectories(low.getParent());
                Files.writeString(low, COMPLETE + "\n" + FRAGMENT, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return c;
        }
    }

    @Test
    void tornLastLine_endedAtStart_nextResultsOnLinesOfTheirOwn() throws IOException {
        SensorData data = new SensorData(5);
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < 3; i++) {
            array.append(i == 0 ? "" : ",").append(SensorData.json("after-" + i, "torn-sensor", data.normal()));
        }
        api().contentType("application/json").body(array.append("]").toString())
                .when().post("/api/v1/score").then().statusCode(200);
        Path low = DIRS.sink("low");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(low).contains("\"after-2\""));

        List<String> lines = Files.readAllLines(low, StandardCharsets.UTF_8);
        assertEquals(COMPLETE, lines.get(0));
        assertEquals(FRAGMENT, lines.get(1), "the fragment stays alone on its line, nothing glued onto it");
        for (int i = 0; i < 3; i++) {
            assertEquals("after-" + i, JsonLines.parse(lines.get(2 + i)).get("id"));
        }
    }

    @Test
    void appendedFiles_onlyFileSinksThatAppendToAFixedName() {
        Set<Path> files = TornLineRepair.appendedFiles(List.of(
                "file:data/out/low?fileName=results.jsonl&fileExist=Append",
                "file://data/out/high?fileExist=append&fileName=high.jsonl",
                "file:data/out/day?fileName=${date:now:yyyyMMdd}.jsonl&fileExist=Append",
                "file:data/out/each?fileExist=Append",
                "file:data/out/replaced?fileName=r.jsonl&fileExist=Override",
                "kafka:results?brokers=k:9092",
                "bean:sinks?method=discard",
                "log:vigil.alerts?level=WARN&plain=true"));
        assertEquals(Set.of(Path.of("data/out/low/results.jsonl"), Path.of("data/out/high/high.jsonl")), files);
    }

    @Test
    void terminate_leavesCompleteAndEmptyFilesAlone() throws IOException {
        Path dir = Files.createDirectories(DIRS.base().resolve("terminate"));
        Path complete = Files.writeString(dir.resolve("complete.jsonl"), COMPLETE + "\n");
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
        Path torn = Files.writeString(dir.resolve("torn.jsonl"), FRAGMENT);
        assertFalse(TornLineRepair.terminate(complete));
        assertFalse(TornLineRepair.terminate(empty));
        assertFalse(TornLineRepair.terminate(dir.resolve("missing.jsonl")));
        assertTrue(TornLineRepair.terminate(torn));
        assertEquals(COMPLETE + "\n", Files.readString(complete));
        assertEquals("", Files.readString(empty));
        assertEquals(FRAGMENT + "\n", Files.readString(torn));
        assertFalse(TornLineRepair.terminate(torn), "once ended, left alone");
    }
}
