package dev.vigil.camel.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.SinkMark;
import dev.vigil.testing.TestProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
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
 * A folder sink (the low sink of the profile) whose folder becomes unusable (its parent replaced by a regular file:
 * we run as root, so file permissions would not stop the writes), then usable again: each failing append is
 * redelivered with back-off, then its results go to the dead letter; once the folder is back the results reach the
 * sink again; nothing is lost or written twice.
 */
@QuarkusTest
@TestProfile(TestProfiles.TestModels.class)
class FileSinkOutageTest {
    static final Path PARENT = TestProfiles.TestModels.LOW_SINK_PARENT;
    static final Path RESULTS = TestProfiles.TestModels.LOW_RESULTS;
    static final String KEY = "outage-file";
    static final String SEVERITY = "low";
    static final long SEED = 411L;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private static SinkOutages.Sent score(String idPrefix, Random random) {
        return SinkOutages.score(KEY, idPrefix, 10, TestProfiles.TestModels.LOW, SEVERITY, random);
    }

    /** This test's ids among {@code records}. */
    private static List<String> ids(List<Map<String, Object>> records) {
        return records.stream().filter(r -> KEY.equals(r.get("key"))).map(r -> (String) r.get("id")).toList();
    }

    @Test
    void folderUnusable_redeliveredWithBackOff_thenDeadLettered_thenDeliveredAgainWhenUsable() throws Exception {
        SinkMark mark = SinkMark.of(RESULTS, TestProfiles.TestModels.DIRS.deadLetter());
        SinkOutages.Counters before = SinkOutages.Counters.read(metrics, SEVERITY);
        Random random = new Random(SEED);
        List<String> sent = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            sent.addAll(score("before-" + r, random).ids());
        }
        List<String> delivered = new ArrayList<>(ids(mark.read(RESULTS)));
        assertTrue(delivered.containsAll(sent), "the sink works to begin with");

        // The folder's parent becomes a regular file: the sink can neither create its folder nor append.
        Path saved = PARENT.resolveSibling("sink-parent.before");
        Files.move(PARENT, saved);
        Files.writeString(PARENT, "not a folder");
        List<String> whileDown = new ArrayList<>();
        long slowest = 0;
        long fastest = Long.MAX_VALUE;
        try {
            for (int r = 0; r < 2; r++) {
                SinkOutages.Sent s = score("down-" + r, random);
                whileDown.addAll(s.ids());
                slowest = Math.max(slowest, s.millis());
                fastest = Math.min(fastest, s.millis());
            }
        } finally {
            Files.delete(PARENT);
        }
        sent.addAll(whileDown);
        // Each group is one append: redelivered 3 times, 200 + 400 + 800 ms apart, before the dead letter.
        assertTrue(fastest >= SinkOutages.BACK_OFF_MILLIS, "a failing append took only " + fastest
                + " ms: not redelivered with back-off");
        List<String> dead = SinkOutages.deadLetterIds(mark, SEVERITY, KEY);
        assertTrue(dead.containsAll(whileDown), "every result of the outage is dead-lettered: " + dead);

        // The sink makes its folder again, empty (what it held before is in the moved copy).
        List<String> after = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            after.addAll(score("after-" + r, random).ids());
        }
        sent.addAll(after);
        List<String> deliveredAfter = ids(JsonLines.read(RESULTS));
        assertTrue(deliveredAfter.containsAll(after), "the sink takes results again once its folder is back");
        delivered.addAll(deliveredAfter);

        System.out.printf(Locale.ROOT, "FileSinkOutageTest: seed %d; a failing group took %d-%d ms to dead-letter"
                + " (back-off at least %d ms)%n", SEED, fastest, slowest, SinkOutages.BACK_OFF_MILLIS);
        SinkOutages.assertAccounted("FileSinkOutageTest", metrics, SEVERITY, before, sent, delivered, dead);
    }
}
