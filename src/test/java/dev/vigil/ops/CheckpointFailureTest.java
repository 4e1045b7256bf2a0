package dev.vigil.ops;

import static dev.vigil.testing.TestApiKeys.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.TestProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A checkpoint folder that cannot be used (at start, or replaced by a regular file later) and a full disk (a
 * 256 KiB tmpfs over the folder, where this machine lets us mount one): scoring goes on, every failure is counted in
 * {@code vigil_checkpoint_failures_total{step}}, {@code /q/health/well} shows the {@code vigil-checkpoints} check
 * DOWN while readiness stays UP, and once the folder works again checkpoints are written and the check clears.
 * The profile checkpoints every key every 20 points with small test models; only this test touches its folder.
 */
@QuarkusTest
@TestProfile(TestProfiles.TestModels.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckpointFailureTest {
    /** A regular file where the checkpoint folder's parent should be (the profile puts it there before the start). */
    static final Path BLOCKED = TestProfiles.TestModels.BLOCKED;
    static final Path CHECKPOINTS = TestProfiles.TestModels.CHECKPOINTS;
    static final long SEED = 20261126L;
    static final int POINTS_PER_KEY = 40;
    static final List<String> KEYS = List.of("disk-a", "disk-b");

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/well", management = true)
    URL well;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    private static final Random RANDOM = new Random(SEED);
    private static int sequence;

    /** One batch per key; every point must come back as a healthy result: scoring goes on whatever the disk does. */
    private static int scoreBatches() {
        int scored = 0;
        for (String key : KEYS) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < POINTS_PER_KEY; i++) {
                // The first feature is the score of the profile's test models: low, to the file sink.
                sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"key\":\"%s\",\"id\":\"c%d\",\"score\":0.1,\"cpu\":%.4f,\"mem\":%.4f}", key,
                        sequence++, 50 + RANDOM.nextGaussian(), 70 + RANDOM.nextGaussian()));
            }
            List<String> states = api().contentType("application/json").body(sb.append(']').toString())
                    .when().post("/api/v1/score").then().statusCode(200).extract().path("results.state");
            assertEquals(POINTS_PER_KEY, states.size());
            assertTrue(states.stream().allMatch("healthy"::equals), states.toString());
            scored += states.size();
        }
        return scored;
    }

    private double metric(String series) {
        String text = given().when().get(metrics).then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l ->
                Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private double failures(String step) {
        return metric("vigil_checkpoint_failures_total{step=\"" + step + "\"}");
    }

    private double written() {
        return metric("vigil_checkpoint_written_total");
    }

    /** The vigil-checkpoints check of /q/health/well, and the HTTP status of that answer. */
    private record Check(int httpStatus, String state, String status, Map<String, Object> data) {
    }

    private Check checkpointCheck() {
        var response = given().when().get(well).then().extract();
        JsonPath json = response.jsonPath();
        Map<String, Object> check = json.getMap("checks.find { it.name == 'vigil-checkpoints' }");
        assertTrue(check != null, "no vigil-checkpoints check in " + response.asString());
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) check.get("data");
        return new Check(response.statusCode(), (String) check.get("status"), (String) data.get("status"), data);
    }

    private void assertFailing(String why) {
        Check c = checkpointCheck();
        assertEquals("DOWN", c.state(), why + ": " + c);
        assertEquals("failing", c.status(), why + ": " + c);
        assertEquals(503, c.httpStatus(), why);
        assertTrue(String.valueOf(c.data().get("lastFailure")).contains("failed: "), c.toString());
        // A wellness check only: the pod stays in service.
        given().when().get(ready).then().statusCode(200);
        api().when().get("/api/v1/status").then().statusCode(200)
                .body("checkpoints.failing", equalTo(true));
    }

    /** Scores until a checkpoint is written again and the check is UP; returns the points scored meanwhile. */
    private int awaitRecovery(String why) {
        int[] scored = {0};
        double before = written();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            scored[0] += scoreBatches();
            assertTrue(written() > before, why + ": no checkpoint written since the folder works again");
            Check c = checkpointCheck();
            assertEquals("UP", c.state(), why + ": " + c);
            assertEquals("ok", c.status(), why + ": " + c);
        });
        api().when().get("/api/v1/status").then().statusCode(200)
                .body("checkpoints.failing", equalTo(false));
        return scored[0];
    }

    @Test
    @Order(1)
    void folderUnusableAtStart_scoringGoesOn_failuresCountedAndShown_thenRecovers() throws IOException {
        assertFailing("the folder could not be opened at start");
        assertEquals(1.0, failures("open"));
        double writeFailuresBefore = failures("write");
        int scored = scoreBatches() + scoreBatches();
        await().atMost(Duration.ofSeconds(10)).until(() -> failures("write") >= writeFailuresBefore + KEYS.size());
        assertFailing("writes fail too");
        double writeFailures = failures("write");

        Files.delete(BLOCKED);
        int afterRecovery = awaitRecovery("folder created");
        for (String key : KEYS) {
            try (Stream<Path> folders = Files.list(CHECKPOINTS)) {
                assertTrue(folders.anyMatch(f -> f.getFileName().toString().startsWith(key + "-")), key);
            }
        }
        System.out.printf(Locale.ROOT, "CheckpointFailureTest: seed %d; folder unusable at start: %d points scored while failing,"
                + " open failures %.0f, write failures %.0f; recovered after %d more points, %.0f checkpoints written%n",
                SEED, scored, failures("open"), writeFailures, afterRecovery, written());
    }

    @Test
    @Order(2)
    void folderReplacedByAFile_scoringGoesOn_failuresCountedAndShown_thenRecovers() throws IOException {
        awaitRecovery("healthy to begin with");
        deleteTree(CHECKPOINTS);
        Files.writeString(CHECKPOINTS, "not a folder");
        double before = failures("write");
        int scored = scoreBatches() + scoreBatches();
        await().atMost(Duration.ofSeconds(10)).until(() -> failures("write") >= before + KEYS.size());
        assertFailing("the folder is a regular file");
        double failed = failures("write") - before;

        Files.delete(CHECKPOINTS);
        int afterRecovery = awaitRecovery("folder back");
        System.out.printf(Locale.ROOT, "CheckpointFailureTest: folder replaced by a file: %d points scored while failing,"
                + " %.0f write failures; recovered after %d more points%n", scored, failed, afterRecovery);
    }

    @Test
    @Order(3)
    void diskFull_tmpfs_scoringGoesOn_failuresCountedAndShown_thenRecoversWhenRoomIsMade() throws Exception {
        awaitRecovery("healthy to begin with");
        Files.createDirectories(CHECKPOINTS);
        int mount = run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", CHECKPOINTS.toString());
        Assumptions.assumeTrue(mount == 0, "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): the disk-full"
                + " case is covered only by the unusable-folder tests");
        try {
            Path filler = CHECKPOINTS.resolve("filler");
            long filled = fill(filler);
            double before = failures("write");
            int scored = scoreBatches() + scoreBatches();
            await().atMost(Duration.ofSeconds(10)).until(() -> failures("write") >= before + KEYS.size());
            assertFailing("the disk is full");
            assertTrue(String.valueOf(checkpointCheck().data().get("lastFailure")).contains("No space left"),
                    checkpointCheck().toString());
            double failed = failures("write") - before;

            Files.delete(filler);
            int afterRecovery = awaitRecovery("room made");
            long files;
            try (Stream<Path> all = Files.walk(CHECKPOINTS)) {
                files = all.filter(p -> p.toString().endsWith(".vck")).count();
            }
            assertTrue(files >= KEYS.size(), files + " checkpoint files on the tmpfs after recovery");
            System.out.printf(Locale.ROOT, "CheckpointFailureTest: disk full (256 KiB tmpfs, %d bytes of filler): %d"
                    + " points scored while failing, %.0f write failures; recovered after %d more points, %d files%n",
                    filled, scored, failed, afterRecovery, files);
        } finally {
            if (run("umount", CHECKPOINTS.toString()) != 0) {
                run("umount", "-l", CHECKPOINTS.toString());
            }
        }
    }

    /** Writes {@code file} until the file system is full; returns the bytes written. */
    private static long fill(Path file) {
        byte[] block = new byte[4096];
        long written = 0;
        try (OutputStream out = new FileOutputStream(file.toFile())) {
            while (written < 64L << 20) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            return written;
        }
        throw new AssertionError("64 MiB written to a 256 KiB tmpfs: it is not full");
    }

    private static int run(String... command) throws IOException, InterruptedException {
        // The few lines mount and umount print fit in the pipe: read them once the command has ended (or was killed).
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        String output = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            System.out.printf(Locale.ROOT, "CheckpointFailureTest: %s: exit %d: %s%n", String.join(" ", command),
                    p.exitValue(), output.strip());
        }
        return p.exitValue();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
