package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.TestDirs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A folder sink whose folder becomes unusable (its parent replaced by a regular file: we run as root, so file
 * permissions would not stop the writes), then usable again: each failing append is redelivered with back-off, then
 * its results go to the dead letter; once the folder is back the results reach the sink again; nothing is lost or
 * written twice.
 */
@QuarkusTest
@TestProfile(FileSinkOutageTest.Profile.class)
class FileSinkOutageTest {
    static final TestDirs DIRS = new TestDirs("file-sink-outage");
    static final Path PARENT = DIRS.base().resolve("sink-parent");
    static final Path RESULTS = PARENT.resolve("critical").resolve("results.jsonl");
    static final long SEED = 411L;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = SinkOutages.overrides(DIRS);
            c.put("vigil.sink.critical", "file:" + RESULTS.getParent() + "?fileName=results.jsonl&fileExist=Append");
            return c;
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private static List<String> ids(Path file) {
        return JsonLines.read(file).stream().map(r -> (String) r.get("id")).toList();
    }

    @Test
    void folderUnusable_redeliveredWithBackOff_thenDeadLettered_thenDeliveredAgainWhenUsable() throws Exception {
        Random random = new Random(SEED);
        List<String> sent = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            sent.addAll(SinkOutages.score("before-" + r, 10, random).ids());
        }
        List<String> delivered = new ArrayList<>(ids(RESULTS));
        assertTrue(delivered.containsAll(sent), "the sink works to begin with");

        // The folder's parent becomes a regular file: the sink can neither create its folder nor append.
        Path saved = DIRS.base().resolve("sink-parent.before");
        Files.move(PARENT, saved);
        Files.writeString(PARENT, "not a folder");
        List<String> whileDown = new ArrayList<>();
        long slowest = 0;
        long fastest = Long.MAX_VALUE;
        for (int r = 0; r < 2; r++) {
            SinkOutages.Sent s = SinkOutages.score("down-" + r, 10, random);
            whileDown.addAll(s.ids());
            slowest = Math.max(slowest, s.millis());
            fastest = Math.min(fastest, s.millis());
        }
        sent.addAll(whileDown);
        // Each group is one append: redelivered 3 times, 200 + 400 + 800 ms apart, before the dead letter.
        assertTrue(fastest >= SinkOutages.BACK_OFF_MILLIS, "a failing append took only " + fastest
                + " ms: not redelivered with back-off");
        List<String> dead = SinkOutages.deadLetterIds(DIRS, "critical");
        assertTrue(dead.containsAll(whileDown), "every result of the outage is dead-lettered: " + dead);

        Files.delete(PARENT);
        List<String> after = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            after.addAll(SinkOutages.score("after-" + r, 10, random).ids());
        }
        sent.addAll(after);
        List<String> deliveredAfter = ids(RESULTS);
        assertTrue(deliveredAfter.containsAll(after), "the sink takes results again once its folder is back");
        delivered.addAll(deliveredAfter);

        System.out.printf(Locale.ROOT, "FileSinkOutageTest: seed %d; a failing group took %d-%d ms to dead-letter"
                + " (back-off at least %d ms)%n", SEED, fastest, slowest, SinkOutages.BACK_OFF_MILLIS);
        SinkOutages.assertAccounted("FileSinkOutageTest", metrics, sent, delivered, dead);
    }
}
