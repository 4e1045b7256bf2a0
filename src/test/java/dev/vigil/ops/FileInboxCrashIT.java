package dev.vigil.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.ParallelSafe;
import dev.vigil.testing.SinkFiles;
import dev.vigil.testing.VigilProcess;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A large inbox file and a SIGKILL, with the packaged jar: a keyed CSV with an id per row (a seeded share of
 * invalid rows) is dropped into the inbox, the process is killed when about half of it is written to the sinks,
 * and restarted. The file stays in the inbox until every batch is routed (routes/file-inbox.yaml), so the restart
 * reads it again from the start: every row is handled, the rows handled before the kill twice, and the file ends
 * in {@code .done}. Camel's read lock is a marker file ({@code <file>.camelLock}) that the kill leaves behind; the
 * restart must not take it for another reader's lock.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ParallelSafe
class FileInboxCrashIT {
    private static final String FILE = "crash.csv";
    /** Enough rows that the kill lands while the file is being read (it is read in a few seconds), no more. */
    private static final int ROWS = 50_000;
    private static final int KEYS = 50;
    private static final double INVALID_SHARE = 0.02;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private VigilProcess vigil;

    @AfterEach
    void stop() throws InterruptedException {
        if (vigil != null) {
            vigil.close();
        }
    }

    @Test
    void killedHalfWayThroughAFile_restartReadsItAgain_everyRowHandled_fileDone() throws Exception {
        long begin = System.nanoTime();
        long seed = Long.getLong("vigil.test.seed", System.nanoTime());
        Random random = new Random(seed);
        Path root = Path.of("target/file-inbox-crash-it").toAbsolutePath();
        VigilProcess.deleteTree(root);
        Path dir = root.resolve("vigil");
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        SinkFiles sinks = new SinkFiles(dir);
        Map<String, String> p = new LinkedHashMap<>(sinks.properties());
        p.put("vigil.inbox.enabled", "true");
        p.put("vigil.inbox.dir", inbox.toString());
        p.put("vigil.inbox.poll-delay", "200");
        p.put("vigil.checkpoint.dir", dir.resolve("checkpoints").toString());
        p.put("vigil.http.enabled", "false");
        // Delivery is the subject, not detection: the cheapest model keeps the test short on a loaded machine.
        p.put("vigil.model.type", "zscore");

        Set<String> invalid = new HashSet<>();
        Path csv = writeCsv(root.resolve(FILE), random, invalid);
        // The kill comes once 35 to 65 % of the rows are written.
        long killAfterLines = (long) (ROWS * (0.35 + 0.3 * random.nextDouble()));
        System.out.printf(Locale.ROOT, "FileInboxCrashIT: seed %d (replay with -Dvigil.test.seed=%d): %d rows over %d"
                + " keys, %d invalid; kill after %d lines%n", seed, seed, ROWS, KEYS, invalid.size(), killAfterLines);

        vigil = VigilProcess.start("vigil", dir, p);
        // Moved in whole, so the read lock waits for nothing but the poll.
        Files.move(csv, inbox.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        long deadline = deadline(TIMEOUT);
        while (sinks.linesWritten() < killAfterLines) {
            assertTrue(System.nanoTime() < deadline, "the kill point was not reached\n" + vigil.logTail());
            Thread.sleep(20);
        }
        vigil.kill();
        Map<Path, Long> atKill = sinks.lengths();
        List<Path> tornAtKill = sinks.unterminated();
        List<String> leftInInbox = names(inbox);
        assertTrue(leftInInbox.contains(FILE), "the half-read file is still in the inbox: " + leftInInbox);
        // Camel's read lock is a marker file, and the kill leaves it: what the restart must not wait on.
        assertTrue(leftInInbox.contains(FILE + ".camelLock"), "the kill left no read-lock marker: " + leftInInbox);
        SinkFiles.Records before = sinks.read(null, atKill);

        vigil = vigil.restart();
        long restartedAt = System.nanoTime();
        Path done = inbox.resolve(".done").resolve(FILE);
        deadline = deadline(TIMEOUT);
        while (!Files.exists(done)) {
            assertTrue(System.nanoTime() < deadline, "the file did not reach .done after the restart; inbox: "
                    + names(inbox) + " (the kill left a read-lock marker)\n" + vigil.logTail());
            Thread.sleep(100);
        }
        long restartToDoneMs = (System.nanoTime() - restartedAt) / 1_000_000;
        // The file moves to .done after its last batch is appended: everything is written now.
        SinkFiles.Records after = sinks.read(atKill, null);
        SinkFiles.Records all = sinks.read(null, null);

        assertFalse(Files.exists(inbox.resolve(".error").resolve(FILE)), "the file went to .error");
        // A kill can cut an append short (Linux ends a killed process's large write at a page boundary). The restart
        // ends such a fragment with a newline before anything else is appended (TornLineRepair): each fragment is
        // one line that is not JSON, and every result after it is whole.
        for (Path f : tornAtKill) {
            assertEquals('\n', SinkFiles.byteAt(f, atKill.get(f)), f + ": the torn line was not ended first");
        }
        assertEquals(tornAtKill.size(), all.unreadable.size(), "sink lines that are not JSON: " + all.unreadable);
        assertEquals(0, all.unterminatedTails, "a sink file ends in a partial line");
        List<String> inboxAfter = names(inbox);
        assertEquals(List.of(), inboxAfter, "nothing but .done is left in the inbox (no file, no stale lock marker)");

        // Every row handled, of the right kind; read again from the start after the restart, so the rows handled
        // before the kill are handled twice, and no row more often.
        List<String> missing = new ArrayList<>();
        int duplicates = 0;
        for (int row = 0; row < ROWS; row++) {
            String id = id(row);
            int n = all.times(id);
            if (n == 0) {
                missing.add(id);
                continue;
            }
            if (invalid.contains(id)) {
                assertEquals(0, all.results.getOrDefault(id, 0), id + " is invalid but was scored");
            } else {
                assertEquals(0, all.rejected.getOrDefault(id, 0), id + " is valid but was rejected");
            }
            assertEquals(1, after.times(id), id + " is handled once after the restart (the file is read again whole)");
            assertEquals(before.times(id) + 1, n, id + " handled " + n + " times");
            if (n == 2) {
                duplicates++;
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " rows have neither a result nor a rejection, e.g. "
                + missing.stream().limit(5).toList() + "\n" + vigil.logTail());
        assertTrue(all.deadLetters.isEmpty(), "dead letters: " + all.deadLetters.keySet());
        int handledBeforeKill = before.results.size() + before.rejected.size();
        assertEquals(handledBeforeKill, duplicates, "exactly the rows handled before the kill are handled twice");
        System.out.printf(Locale.ROOT, "FileInboxCrashIT: killed after %d of %d rows handled; the kill left %s in the"
                + " inbox; restart read the file again and moved it to .done in %d ms; %d rows handled twice (%.1f %%),"
                + " 0 lost; %d of %d sink files torn at the kill, %d unreadable lines; whole test %d s%n",
                handledBeforeKill, ROWS, leftInInbox, restartToDoneMs, duplicates, 100.0 * duplicates / ROWS,
                tornAtKill.size(), sinks.all().size(), all.unreadable.size(), (System.nanoTime() - begin) / 1_000_000_000);
    }

    private static String id(int row) {
        return String.format(Locale.ROOT, "r%06d", row);
    }

    /** Rows in key order within each block of {@code KEYS}, so every key's points come in order. */
    private static Path writeCsv(Path file, Random random, Set<String> invalid) throws IOException {
        Files.createDirectories(file.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,key,temperature,pressure\n");
            for (int row = 0; row < ROWS; row++) {
                String temperature = String.format(Locale.ROOT, "%.4f", 20 + random.nextGaussian());
                if (random.nextDouble() < INVALID_SHARE) {
                    invalid.add(id(row));
                    // Out of range, or text where a number belongs: a rejection naming the field, with the id.
                    temperature = random.nextBoolean() ? "1e12" : "hot";
                }
                w.write(String.format(Locale.ROOT, "%s,s%02d,%s,%.4f\n", id(row), row % KEYS, temperature,
                        1000 + 5 * random.nextGaussian()));
            }
        }
        return file;
    }

    /** The inbox's entries (files and lock markers), without the .done folder. */
    private static List<String> names(Path inbox) throws IOException {
        try (Stream<Path> entries = Files.list(inbox)) {
            return entries.map(e -> e.getFileName().toString()).filter(n -> !n.equals(".done")).sorted().toList();
        }
    }

    private static long deadline(Duration d) {
        return System.nanoTime() + d.toNanos();
    }
}
