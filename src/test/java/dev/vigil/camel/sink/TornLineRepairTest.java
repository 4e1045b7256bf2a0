package dev.vigil.camel.sink;

import static dev.vigil.testing.TestApiKeys.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestDirs;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A file sink whose last append a crash cut short (as a SIGKILL during a large write does; JmsCrashIT and
 * FileInboxCrashIT kill the packaged jar mid-write): the service starts with a low-results file that ends in a
 * partial line (the profile leaves it there; every result of the profile is low), and the results after it must
 * start on lines of their own instead of being glued onto the fragment, which would make them unreadable.
 */
@QuarkusTest
@TestProfile(TestProfiles.EarlierRun.class)
class TornLineRepairTest {
    static final TestDirs DIRS = TestProfiles.EarlierRun.DIRS;
    static final String COMPLETE = TestProfiles.EarlierRun.TORN_COMPLETE;
    static final String FRAGMENT = TestProfiles.EarlierRun.TORN_FRAGMENT;

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
        // Every line after it is a whole result (other tests of the profile may have written some of them).
        List<Object> ids = lines.subList(2, lines.size()).stream().map(l -> JsonLines.parse(l).get("id")).toList();
        for (int i = 0; i < 3; i++) {
            assertTrue(ids.contains("after-" + i), "after-" + i + " in " + ids);
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
