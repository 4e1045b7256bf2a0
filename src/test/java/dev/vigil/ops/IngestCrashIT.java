package dev.vigil.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.ParallelSafe;
import dev.vigil.testing.VigilProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The durable {@code /ingest} with the packaged jar: a 202 means the points will be scored, even across a crash.
 *
 * <p>Clients send requests of 50 points each from four threads; the process is killed with SIGKILL as soon as a
 * given number of them were answered 202, while others are still in flight. After a restart on the same folder,
 * every point of every 202 must have a result (a point scored before the crash and again from the spool is a
 * duplicate: counted and printed, allowed); points of requests that got no answer may or may not be scored. Then
 * the graceful path: SIGTERM right after the last 202, and the spool is scored (or kept) by the stop, so nothing
 * is missing or scored twice after the next start. A second test measures the throughput of {@code /ingest} in
 * spool mode against memory mode, each in its own process, printing the figures (not asserting them).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ParallelSafe
class IngestCrashIT {
    private static final long SEED = 424242L;
    private static final int CLIENTS = 4;
    private static final int KEYS = 20;
    private static final long SCORED_TIMEOUT_MS = 120_000;

    private final List<VigilProcess> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (VigilProcess v : started) {
            v.close();
        }
    }

    private VigilProcess start(String name, Path dir, Map<String, String> extra) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        String sink = "file:" + dir.resolve("out") + "?fileName=results.jsonl&fileExist=Append";
        for (String s : List.of("low", "medium", "high", "critical")) {
            p.put("vigil.sink." + s, sink);
        }
        p.putAll(extra);
        VigilProcess v = VigilProcess.start(name, dir, p);
        started.add(v);
        return v;
    }

    /** The outcome of the requests a load sent: ids of points answered 202, and of those that got no 202. */
    private record Load(Set<String> accepted, Set<String> unanswered, int requests, long nanos) {
        double requestsPerSecond() {
            return requests * 1e9 / nanos;
        }
    }

    /** A request of {@code size} points of one key, ids {@code <prefix>-<request>-<i>}. */
    private static String body(String prefix, int request, int size, Random rng, List<String> ids) {
        String key = String.format(Locale.ROOT, "k%02d", rng.nextInt(KEYS));
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            String id = prefix + "-" + request + "-" + i;
            ids.add(id);
            b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"id\":\"%s\",\"key\":\"%s\",\"temperature\":%.4f,\"pressure\":%.4f}", id, key,
                    20 + rng.nextGaussian(), 1000 + 5 * rng.nextGaussian()));
        }
        return b.append(']').toString();
    }

    /**
     * Sends {@code requests} requests of {@code size} points from {@link #CLIENTS} threads. When {@code killAfter}
     * is positive, the process gets SIGKILL as soon as that many were answered 202; later requests fail.
     */
    private static Load send(VigilProcess v, String prefix, int requests, int size, int killAfter) throws Exception {
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> unanswered = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    int r;
                    while ((r = next.getAndIncrement()) < requests) {
                        Random rng = new Random(SEED + r + prefix.hashCode() * 7919L);
                        List<String> ids = new ArrayList<>(size);
                        String body = body(prefix, r, size, rng, ids);
                        int status;
                        try {
                            HttpResponse<String> answer = v.post("/api/v1/ingest", "application/json", body);
                            status = answer.statusCode();
                        } catch (IOException e) {
                            status = -1; // the process died under the request: no answer
                        }
                        if (status == 202) {
                            accepted.addAll(ids);
                            if (ok.incrementAndGet() == killAfter && killed.compareAndSet(false, true)) {
                                v.kill();
                            }
                        } else {
                            unanswered.addAll(ids);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Load(accepted, unanswered, ok.get(), System.nanoTime() - start);
    }

    private static List<Map<String, Object>> results(VigilProcess v) {
        return JsonLines.read(v.dir.resolve("out/results.jsonl"));
    }

    private static Map<String, Integer> counts(VigilProcess v) {
        Map<String, Integer> n = new HashMap<>();
        results(v).forEach(r -> n.merge((String) r.get("id"), 1, Integer::sum));
        return n;
    }

    private static int spoolFiles(VigilProcess v) throws IOException {
        Path spool = v.dir.resolve("data/ingest-spool");
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(spool)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).count();
        }
    }

    private static void awaitScored(VigilProcess v, Set<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SCORED_TIMEOUT_MS);
        Set<String> missing = new HashSet<>(ids);
        while (System.nanoTime() < deadline) {
            results(v).forEach(r -> missing.remove((String) r.get("id")));
            if (missing.isEmpty()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(missing.size() + " of " + ids.size() + " accepted points never scored, e.g. "
                + missing.stream().sorted().limit(5).toList() + "\n" + v.logTail());
    }

    /** A SIGKILL can cut the sink's last append in half; the next run appends after it. Keep whole lines only. */
    private static void dropCutLine(VigilProcess v) throws IOException {
        Path file = v.dir.resolve("out/results.jsonl");
        if (!Files.exists(file)) {
            return;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n') + 1;
        if (end < text.length()) {
            Files.writeString(file, text.substring(0, end), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        }
    }

    @Test
    void sigkillAfter202s_everyAcceptedPointScoredAfterRestart_thenSigtermLosesNothing() throws Exception {
        System.out.printf(Locale.ROOT, "IngestCrashIT: seed %d%n", SEED);
        Path dir = Path.of("target/ingest-crash-it").toAbsolutePath();
        VigilProcess.deleteTree(dir);
        VigilProcess v = start("crash", dir, Map.of());

        // Crash: SIGKILL as soon as 100 requests (5,000 points) were accepted, others still in flight.
        Load crash = send(v, "c", 130, 50, 100);
        int scoredAtKill = (int) crash.accepted().stream().filter(counts(v)::containsKey).count();
        int spooledAtKill = spoolFiles(v);
        dropCutLine(v);
        assertTrue(spooledAtKill > 0, "the kill came before the spool was drained (else nothing was tested)");

        VigilProcess after = v.restart();
        started.add(after);
        awaitScored(after, crash.accepted());
        Map<String, Integer> times = counts(after);
        int duplicates = 0;
        for (String id : crash.accepted()) {
            duplicates += times.get(id) - 1;
        }
        int unansweredScored = (int) crash.unanswered().stream().filter(times::containsKey).count();
        awaitEmptySpool(after);
        System.out.printf(Locale.ROOT, "IngestCrashIT: SIGKILL after %d requests answered 202 (%d points); %d of them"
                + " scored before the kill, %d files left in the spool; after the restart all %d scored, %d twice;"
                + " %d points of %d requests without an answer, %d of them scored anyway%n", crash.requests(),
                crash.accepted().size(), scoredAtKill, spooledAtKill, crash.accepted().size(), duplicates,
                crash.unanswered().size(), crash.unanswered().size() / 50, unansweredScored);

        // Graceful: SIGTERM right after the last 202; the stop scores what the spool holds (or keeps it).
        Load graceful = send(after, "g", 60, 50, 0);
        assertEquals(60, graceful.requests(), "every request accepted while the process runs");
        int spooledAtStop = spoolFiles(after);
        after.stop();
        assertTrue(after.exitCode() == 0 || after.exitCode() == 143, "stopped cleanly: " + after.exitCode());
        Map<String, Integer> atStop = counts(after);
        int scoredByStop = (int) graceful.accepted().stream().filter(atStop::containsKey).count();
        int keptOnDisk = spoolFiles(after);
        VigilProcess third = after.restart();
        started.add(third);
        awaitScored(third, graceful.accepted());
        Map<String, Integer> finalTimes = counts(third);
        for (String id : graceful.accepted()) {
            assertEquals(1, finalTimes.get(id), id + ": a graceful stop scores a point once");
        }
        awaitEmptySpool(third);
        System.out.printf(Locale.ROOT, "IngestCrashIT: SIGTERM right after the last of %d requests answered 202 (%d"
                + " points), %d files in the spool then; %d points scored by the stop, %d files kept on disk; after"
                + " the restart every point scored exactly once%n", graceful.requests(), graceful.accepted().size(),
                spooledAtStop, scoredByStop, keptOnDisk);
    }

    private static void awaitEmptySpool(VigilProcess v) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (spoolFiles(v) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, spoolFiles(v), "every scored file is deleted");
    }

    @Test
    void throughput_spoolAgainstMemory() throws Exception {
        Path root = Path.of("target/ingest-throughput-it").toAbsolutePath();
        VigilProcess.deleteTree(root);
        Map<String, double[]> figures = new LinkedHashMap<>();
        for (String mode : List.of("memory", "spool")) {
            VigilProcess v = start(mode, root.resolve(mode), Map.of("vigil.http.ingest-mode", mode));
            send(v, "warm", 20, 100, 0);
            Load batches = send(v, "b", 100, 100, 0);
            Load singles = send(v, "s", 200, 1, 0);
            assertEquals(100, batches.requests());
            assertEquals(200, singles.requests());
            awaitScored(v, batches.accepted());
            awaitScored(v, singles.accepted());
            figures.put(mode, new double[] {batches.requestsPerSecond(), singles.requestsPerSecond()});
            v.stop();
        }
        double[] memory = figures.get("memory");
        double[] spool = figures.get("spool");
        System.out.printf(Locale.ROOT, "IngestCrashIT: /ingest with %d clients, requests of 100 points: memory %.0f"
                + " requests/s (%.0f points/s), spool %.0f requests/s (%.0f points/s), spool/memory %.2f%n", CLIENTS,
                memory[0], memory[0] * 100, spool[0], spool[0] * 100, spool[0] / memory[0]);
        System.out.printf(Locale.ROOT, "IngestCrashIT: /ingest with %d clients, single points: memory %.0f requests/s,"
                + " spool %.0f requests/s, spool/memory %.2f%n", CLIENTS, memory[1], spool[1], spool[1] / memory[1]);
    }
}
