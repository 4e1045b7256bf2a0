package dev.vigil.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.JsonLines;
import dev.vigil.testing.SensorData;
import dev.vigil.testing.TestApiKeys;
import dev.vigil.testing.VigilProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged jar attacked from outside on loopback, the way the hardening review attacked it: one process for
 * every attack, run as the container runs it ({@code -Xmx768m -XX:+ExitOnOutOfMemoryError}), and each attack sized
 * from that: large enough that, without its bound, the heap or a folder could not hold it (the figure each needs is
 * in its javadoc, with what the jar before the bounds did). After
 * every attack an ordinary point must still score, on a process that never exited. The numbered cases are those of
 * the review; the others were tried here first. docs/reliability.md lists the figures of the runs.
 *
 * <p>Some bounds are set low so that a small attack reaches them: the body timeout (2 s), the checkpoint budget (1 MiB) and retention (5 s), the rotation of the rejected file (1 MiB, 2 kept), the time a stop
 * gives an inbox file (1 s), 50 live keys, 1,000 points a minute per HTTP client. The mechanisms are the same at the
 * defaults; only the sizes differ.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttackIT {
    private static final Path DIR = Path.of("target/it/attack").toAbsolutePath();
    private static final String HEAP = "768m";
    private static final int LIMIT_PER_MINUTE = 1000;
    private static final int BODY_LIMIT = 1_048_576;
    private static final long BUDGET = 32L * 1024 * 1024;
    /** Unfinished bodies of case 1: 838 MB declared, more than the heap. */
    private static final int UNFINISHED = 800;
    private static final Map<String, String> KEYS = new LinkedHashMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static {
        for (String client : List.of("mallory", "oscar", "trent", "m1", "m2", "m3")) {
            KEYS.put(client, client + "-key-5d1e07");
        }
    }

    private VigilProcess vigil;
    private int probes;
    /** Milliseconds until the server closed a connection that never finished its headers (case 9). */
    private CompletableFuture<Long> unfinishedHeadersClosed;

    @BeforeAll
    void start() throws Exception {
        VigilProcess.deleteTree(DIR);
        vigil = VigilProcess.start("attack", DIR, HEAP, config());
        unfinishedHeadersClosed = unfinishedHeaders();
    }

    /**
     * A connection that sends the start of its headers and then one more byte of them every 2 s, from the start of the
     * class, so the idle timeout (20 s, the default) runs while the other attacks do. The bytes never make a whole
     * header, so the timeout is not reset by them: it bounds the time a caller may take over its headers.
     */
    private CompletableFuture<Long> unfinishedHeaders() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), vigil.api("/").getPort());
        s.setSoTimeout(2_000);
        long start = System.nanoTime();
        s.getOutputStream().write("POST /api/v1/score HTTP/1.1\r\nHost: vigil\r\nX-Pad: ".getBytes(
                StandardCharsets.US_ASCII));
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
                    s.getOutputStream().write('a');
                    try {
                        return s.getInputStream().read() < 0 ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                                : -1;
                    } catch (SocketTimeoutException stillOpen) {
                        // another byte of the header
                    }
                }
                return -1L;
            } catch (IOException closed) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
        });
    }

    private static Map<String, String> config() {
        Map<String, String> p = new LinkedHashMap<>();
        StringBuilder keys = new StringBuilder();
        KEYS.forEach((client, key) -> keys.append(keys.length() == 0 ? "" : ",").append(client).append(':').append(key));
        p.put("vigil.security.api-keys", keys.toString());
        p.put("vigil.security.admin-clients", TestApiKeys.CLIENT);
        p.put("vigil.throttle.source.http", Integer.toString(LIMIT_PER_MINUTE));
        p.put("vigil.inbox.enabled", "true");
        p.put("vigil.inbox.poll-delay", "100");
        p.put("vigil.inbox.read-lock-interval", "200");
        p.put("vigil.inbox.stop-timeout", "1000");
        p.put("vigil.http.body-timeout", "2000");
        p.put("vigil.keys.max", "50");
        p.put("vigil.checkpoint.retention", "5");
        p.put("vigil.checkpoint.max-mb", "1");
        p.put("vigil.sink.rotate-at-mb", "1");
        p.put("vigil.sink.rotate-keep", "2");
        // A sink file rotates between appends, one batch's lines each: batches of 100 keep one append (100
        // rejections of at most about 5 KB) small beside the 1 MiB rotation, so the rotation's bound is tested.
        p.put("vigil.batch.size", "100");
        return p;
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (vigil != null) {
            vigil.close();
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // 1. Unfinished bodies
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Case 1: 800 connections with valid keys, each sending 1,048,000 of 1,048,003 declared bytes and never the rest.
     * 838 MB of bodies do not fit in a 768 MiB heap: the review saw the jar before the budget end with "Terminating
     * due to java.lang.OutOfMemoryError" within 12 s of 700 such connections. Now at most 32 MiB are admitted (one client at most half),
     * the rest get 503 before a byte is read, every admitted body that stops coming is closed after the body timeout,
     * and the reservation returns once the client has gone. One more connection trickles a byte every 300 ms: the idle
     * timeout never sees it idle, the body timeout closes it.
     */
    @Test
    @Order(1)
    void unfinishedBodies_heldWithinTheBudget_restRefusedUnread() throws Exception {
        byte[] body = new byte[1_048_000];
        List<Socket> sockets = new ArrayList<>();
        Socket trickle = open("m1", 100);
        CompletableFuture<Long> trickleClosedAfter = CompletableFuture.supplyAsync(() -> trickle(trickle));
        try {
            for (int i = 0; i < UNFINISHED; i++) {
                Socket s = open("m" + (1 + i % 3), 1_048_003);
                sockets.add(s);
                try {
                    s.getOutputStream().write(body);
                } catch (IOException refusedAndClosed) {
                    // the server answered 503 and closed: the rest of the body has nowhere to go
                }
            }
            double held = metric("vigil_http_bodies_held_bytes ");
            assertTrue(held <= BUDGET, "bodies held " + held + " over the budget " + BUDGET);
            assertScores(UNFINISHED + " unfinished bodies open");
            Map<Socket, String> outcomes = new HashMap<>();
            // Every admitted body that stopped coming is closed after the body timeout (2 s).
            await().atMost(Duration.ofSeconds(15)).until(() -> answered(sockets, outcomes));
            Map<String, Integer> seen = new TreeMap<>();
            outcomes.values().forEach(o -> seen.merge(o, 1, Integer::sum));
            long closedAfter = trickleClosedAfter.get(30, TimeUnit.SECONDS);
            System.out.printf("AttackIT case 1: %d unfinished 1 MB bodies: %s; held %.1f MiB of %d MiB while open;"
                    + " a body trickling in closed after %d ms%n", UNFINISHED, seen, held / 1048576, BUDGET >> 20,
                    closedAfter);
            assertTrue(seen.getOrDefault("503", 0) >= UNFINISHED / 2, "refused unread: " + seen);
            assertTrue(closedAfter >= 1_900 && closedAfter < 10_000, "the trickle is closed by the body timeout (2 s),"
                    + " never idle long enough for the idle timeout (20 s): " + closedAfter + " ms");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            trickle.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("vigil_http_bodies_held_bytes ") == 0);
        assertTrue(metric("vigil_security_events_total{type=\"server_busy\"}") >= UNFINISHED / 2);
        assertTrue(metric("vigil_security_events_total{type=\"request_timeout\"}") >= 1);
        assertScores("after case 1");
    }

    /** A POST with a key of an attacker client and a declared body, headers only. */
    private Socket open(String client, long contentLength) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), vigil.api("/").getPort());
        s.setSoTimeout(5_000);
        s.getOutputStream().write(("POST /api/v1/score HTTP/1.1\r\nHost: vigil\r\nX-API-Key: " + KEYS.get(client)
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** Sends a byte every 300 ms (the attack's own pace) until the server closes the connection; how long it took. */
    private static long trickle(Socket s) {
        long start = System.nanoTime();
        try {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 40; i++) {
                out.write('x');
                out.flush();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
            }
        } catch (IOException closed) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
        return Long.MAX_VALUE;
    }

    /**
     * Whether every connection has an outcome: the status of an answer, or closed by the server. Each connection's
     * first bytes are read once; one that shows nothing within 100 ms is asked again at the next poll.
     */
    private static boolean answered(List<Socket> sockets, Map<Socket, String> outcomes) {
        byte[] line = new byte[12];
        for (Socket s : sockets) {
            if (outcomes.containsKey(s)) {
                continue;
            }
            try {
                s.setSoTimeout(100);
                int n = s.getInputStream().readNBytes(line, 0, 12);
                outcomes.put(s, n < 12 ? "closed" : new String(line, 9, 3, StandardCharsets.US_ASCII));
            } catch (SocketTimeoutException stillOpen) {
                // asked again at the next poll
            } catch (IOException reset) {
                outcomes.put(s, "closed");
            }
        }
        return outcomes.size() == sockets.size();
    }

    // ----------------------------------------------------------------------------------------------------------
    // 2. A file that crashed the service at every start
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Case 2: the review's files, dropped together: a JSON-lines file of 100 lines of 1,000,000 'é' (200 MB) and one of
     * 52 such lines (104 MB), every line within vigil.inbox.max-line-length. A batch of 100 such lines held 100 M
     * characters, and every rejection kept its whole line: the review saw the jar before the bounds end 9 s after the
     * drop of the first at -Xmx768m, and again after every restart (the file stayed in the inbox). Now a batch ends at
     * vigil.inbox.max-batch-chars (4 M) and a rejection keeps 4,096 characters of its line, marked truncated: 152
     * small rejections, both files done.
     */
    @Test
    @Order(2)
    void poisonFiles_linesOfAMillionCharacters_boundedAndRejectedByReason() throws Exception {
        Path inbox = vigil.dir.resolve("data/inbox");
        byte[] line = ("é".repeat(1_000_000) + "\n").getBytes(StandardCharsets.UTF_8);
        Map<String, Integer> files = Map.of("poison-a.jsonl", 100, "poison-b.jsonl", 52);
        for (Map.Entry<String, Integer> file : files.entrySet()) {
            try (OutputStream out = Files.newOutputStream(inbox.resolveSibling("." + file.getKey()))) {
                for (int i = 0; i < file.getValue(); i++) {
                    out.write(line);
                }
            }
        }
        for (String name : files.keySet()) {
            Files.move(inbox.resolveSibling("." + name), inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(inbox.resolve(".done/poison-a.jsonl"))
                && Files.exists(inbox.resolve(".done/poison-b.jsonl")));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        List<Map<String, Object>> poison = rejected().stream()
                .filter(r -> String.valueOf(r.get("client")).startsWith("poison-")).toList();
        assertEquals(152, poison.size());
        for (Map<String, Object> r : poison) {
            assertEquals("malformed", r.get("reason"));
            assertEquals(Boolean.TRUE, r.get("originalTruncated"));
            assertEquals(1_000_000, r.get("originalLength"));
            assertEquals(4096, ((String) r.get("original")).length());
        }
        assertEquals(152, metric("vigil_points_rejected_total{reason=\"malformed\",source=\"file\"}"));
        System.out.printf("AttackIT case 2: files of 100 and 52 lines of 1,000,000 characters (304 MB): both in .done"
                + " after %d ms; the rejected files hold %d bytes%n", millis, rejectedBytes());
        assertScores("after case 2");
    }

    // ----------------------------------------------------------------------------------------------------------
    // 3. Forged client names
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Case 3: mallory names herself {@code r0}, {@code r1}, ... in a query parameter and a header on each request. The
     * jar before this took the query parameter as a second value of its client header, so each name got a fresh bucket
     * (the review scored 60,000 points in 9 s against 1,000 a minute) and {@code "[mallory, r0]"} appeared in
     * rejections and security events. Now the client is read from the HTTP request, where only the gate writes it: 20
     * requests of 200 points under 20 names, and at most 5 pass (1,000 a minute). The key itself in a query parameter
     * is no key.
     */
    @Test
    @Order(3)
    void forgedClientNames_noFreshBucket_neverRecorded() throws Exception {
        HttpResponse<String> first = post("mallory", "/api/v1/score?X-Vigil-Client=r0", "[" + point("f-0", "forge", 20)
                + ",{\"id\":\"f-bad\",\"key\":\"forge\",\"temperature\":\"warm\"}]", Map.of("X-Vigil-Client", "r0"));
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(first.body().contains("\"client\":\"mallory\""), first.body());
        int passed = 0;
        for (int r = 1; r <= 20; r++) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < 200; i++) {
                b.append(i == 0 ? "" : ",").append(point("f-" + r + "-" + i, "forge", 20 + i % 3));
            }
            HttpResponse<String> answer = post("mallory", "/api/v1/score?X-Vigil-Client=r" + r + "&x-vigil-client=r" + r,
                    b.append(']').toString(), Map.of("X-Vigil-Client", "r" + r));
            assertTrue(answer.statusCode() == 200 || answer.statusCode() == 429, answer.body());
            passed += answer.statusCode() == 200 ? 1 : 0;
        }
        System.out.printf("AttackIT case 3: 20 requests of 200 points under 20 forged client names: %d passed%n", passed);
        assertTrue(passed >= 1 && passed <= 5, passed + " requests of 200 passed a limit of 1,000 a minute");
        String status = vigil.get(vigil.api("/api/v1/status")).body();
        assertFalse(Pattern.compile("\"client\":\"[^\"]*r[0-9]").matcher(status).find(), status);
        assertTrue(rejected().stream().noneMatch(r -> String.valueOf(r.get("client")).contains("r0")));
        HttpResponse<String> keyInQuery = HTTP.send(HttpRequest.newBuilder(vigil.api("/api/v1/status?X-API-Key="
                + TestApiKeys.KEY)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, keyInQuery.statusCode());
        assertScores("after case 3");
    }

    // ----------------------------------------------------------------------------------------------------------
    // 4. Heavy work over the limit
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Case 4: oscar spends his minute on 1,000 invalid points, then sends 10 requests of 1,000 points of new keys and
     * 10 of 1,000 invalid points. The jar before this validated first and limited after: each refused request still
     * created 1,000 keys (50 live: 1,000 evictions, with checkpoints), and invalid points were never charged, so the
     * rejected file took 1,000 lines a request. Now every point is charged before validation: 20 refusals with 429,
     * no key created or evicted, no rejection written beyond the first 1,000.
     */
    @Test
    @Order(4)
    void overTheLimit_noKeyWork_invalidPointsCharged() throws Exception {
        StringBuilder invalid = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            invalid.append(i == 0 ? "" : ",").append("{\"id\":\"o-").append(i).append("\",\"key\":\"oscar\",\"t\":\"x\"}");
        }
        invalid.append(']');
        int rejectedBefore = rejected().size();
        assertEquals(400, post("oscar", "/api/v1/score", invalid.toString(), Map.of()).statusCode());
        double evictions = metric("vigil_entities_evicted_total ");
        double written = metric("vigil_checkpoint_written_total ");
        int refused = 0;
        for (int r = 0; r < 10; r++) {
            StringBuilder keys = new StringBuilder("[");
            for (int i = 0; i < 1000; i++) {
                keys.append(i == 0 ? "" : ",").append(point("n-" + r + "-" + i, "new-" + r + "-" + i, 20));
            }
            refused += post("oscar", "/api/v1/score", keys.append(']').toString(), Map.of()).statusCode() == 429 ? 1 : 0;
            refused += post("oscar", "/api/v1/score", invalid.toString(), Map.of()).statusCode() == 429 ? 1 : 0;
        }
        // Nothing more arrives: the refused requests wrote no rejection.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                .until(() -> rejected().size() - rejectedBefore == 1000);
        int rejectedAfter = rejected().size();
        System.out.printf("AttackIT case 4: %d of 20 requests over the limit refused; evictions %+.0f, checkpoints"
                + " written %+.0f, rejections written %d (the first request's 1,000)%n", refused,
                metric("vigil_entities_evicted_total ") - evictions, metric("vigil_checkpoint_written_total ") - written,
                rejectedAfter - rejectedBefore);
        assertEquals(20, refused);
        assertEquals(evictions, metric("vigil_entities_evicted_total "), "keys evicted by refused requests");
        assertEquals(written, metric("vigil_checkpoint_written_total "), "checkpoints written for refused requests");
        assertEquals(1000, rejectedAfter - rejectedBefore);
        assertScores("after case 4");
    }

    // ----------------------------------------------------------------------------------------------------------
    // 5. The checkpoint folder
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Case 5: 500 keys of 2 points each, through the inbox, with 50 live keys: every key leaves a checkpoint on
     * eviction (about 4 KB each, and a key evicted twice has two). Before the retention the folder only grew (the
     * review left 100,001 folders, 1.2 GB, for 100,000 keys); here the 500 folders would hold about four times the
     * 1 MiB budget. Now the folder stays within the budget while the keys pass (the least recently written go first),
     * and once they are not seen for the retention (5 s) only the live keys keep theirs. And one request of 300 keys,
     * six times the live keys, is scored whole, although its own keys are evicted between validation and scoring.
     */
    @Test
    @Order(5)
    void manyKeys_checkpointFolderWithinBudget_expiredRemoved() throws Exception {
        StringBuilder file = new StringBuilder();
        Random rng = new Random(5);
        for (int p = 0; p < 2; p++) {
            for (int k = 0; k < 500; k++) {
                file.append(point("k-" + k + "-" + p, "key-" + k, 20 + rng.nextGaussian())).append('\n');
            }
        }
        Path inbox = vigil.dir.resolve("data/inbox");
        double written = metric("vigil_checkpoint_written_total ");
        SensorData.drop(inbox, "keys.jsonl", file.toString());
        DoubleAccumulator peakBytes = new DoubleAccumulator(Math::max, 0);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            peakBytes.accumulate(metric("vigil_checkpoint_disk_bytes "));
            return Files.exists(inbox.resolve(".done/keys.jsonl"));
        });
        double peak = peakBytes.get();
        double budgetRemoved = metric("vigil_checkpoint_removed_total{reason=\"budget\"}");
        Path checkpoints = vigil.dir.resolve("data/checkpoints");
        await().atMost(Duration.ofSeconds(30)).until(() -> folders(checkpoints) <= 60);
        double expired = metric("vigil_checkpoint_removed_total{reason=\"expired\"}");
        System.out.printf("AttackIT case 5: 500 keys: %.0f checkpoints written, the folder peaked at %.0f KiB (budget"
                + " 1,024); %d folders left after the retention; removed %.0f beyond the budget, %.0f expired%n",
                metric("vigil_checkpoint_written_total ") - written, peak / 1024, folders(checkpoints), budgetRemoved,
                expired);
        assertTrue(metric("vigil_checkpoint_written_total ") - written > 450, "the keys were checkpointed on eviction");
        // The budget, and what may be written between the sweep's look at a folder and its removal.
        assertTrue(peak <= 1.25 * 1024 * 1024, "peak " + peak);
        assertTrue(budgetRemoved > 0 && expired > 0);

        StringBuilder wide = new StringBuilder("[");
        for (int k = 0; k < 300; k++) {
            wide.append(k == 0 ? "" : ",").append(point("w-" + k, "wide-" + k, 20));
        }
        HttpResponse<String> answer = vigil.post("/api/v1/score", "application/json", wide.append(']').toString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(300, count(answer.body(), "\"id\":\"w-"));
        assertScores("after case 5");
    }

    private static long folders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(Files::isDirectory).count();
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // 6. Special files
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Case 6: a FIFO named {@code .csv}, a link to {@code /dev/zero}, a link to a file outside the inbox, and (not in
     * the review) a sparse file claiming 1 TiB. The jar before this spent both inbox threads on the first two for good
     * (opening a FIFO waits for a writer; /dev/zero never ends), read nothing dropped later, and read the file outside.
     * Now each is moved to .error unopened with its reason, and an ordinary file dropped after them is read at once.
     */
    @Test
    @Order(6)
    void specialFiles_movedAsideUnread_inboxKeepsReading() throws Exception {
        Path inbox = vigil.dir.resolve("data/inbox");
        Process fifo = new ProcessBuilder("mkfifo", inbox.resolve("fifo.csv").toString()).start();
        assertTrue(fifo.waitFor(10, TimeUnit.SECONDS) && fifo.exitValue() == 0);
        Files.createSymbolicLink(inbox.resolve("zero.jsonl"), Path.of("/dev/zero"));
        Path outside = Files.writeString(vigil.dir.resolve("outside.jsonl"), point("outside-1", "outside", 20) + "\n");
        Files.createSymbolicLink(inbox.resolve("outside.jsonl"), outside);
        try (RandomAccessFile sparse = new RandomAccessFile(inbox.resolve("terabyte.jsonl").toFile(), "rw")) {
            sparse.setLength(1L << 40);
        }
        long start = System.nanoTime();
        SensorData.drop(inbox, "after.csv", "id,key,temperature\nafter-1,after,20.5\n");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(inbox.resolve(".done/after.csv")));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Path error = inbox.resolve(".error");
        for (String name : List.of("fifo.csv", "zero.jsonl", "outside.jsonl", "terabyte.jsonl")) {
            assertTrue(Files.exists(error.resolve(name), LinkOption.NOFOLLOW_LINKS), name + " not in .error");
            assertTrue(Files.exists(error.resolve(name + ".reason.txt")), name + " has no reason");
        }
        assertEquals(1, metric("vigil_inbox_files_refused_total{reason=\"not_regular\"}"));
        assertEquals(2, metric("vigil_inbox_files_refused_total{reason=\"symlink\"}"));
        assertEquals(1, metric("vigil_inbox_files_refused_total{reason=\"too_large\"}"));
        assertTrue(resultIds().stream().noneMatch(id -> id.startsWith("outside")), "the file outside was read");
        String well = HTTP.send(HttpRequest.newBuilder(vigil.management("/q/health/well")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(well.matches("(?s).*\"name\"\\s*:\\s*\"vigil-inbox\"\\s*,\\s*\"status\"\\s*:\\s*\"UP\".*"), well);
        System.out.printf("AttackIT case 6: FIFO, link to /dev/zero, link outside, 1 TiB sparse file: all in .error; a"
                + " file dropped after them done in %d ms%n", millis);
        assertScores("after case 6");
    }

    // ----------------------------------------------------------------------------------------------------------
    // 7. Appended and same-name files
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Case 7: rows appended to a file after it was read (a writer that kept it open appends to it in .done), and a
     * second file of a name already done. The jar before this scored neither the appended rows nor kept the first file:
     * the second overwrote it in .done. Now the appended rows come back into the inbox as a file of their own and are
     * scored, and the first file is renamed aside.
     */
    @Test
    @Order(7)
    void appendedAndSameNameFiles_nothingLost() throws Exception {
        Path inbox = vigil.dir.resolve("data/inbox");
        SensorData.drop(inbox, "grow.csv", rows("g", 0, 10));
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(inbox.resolve(".done/grow.csv")));
        Files.writeString(inbox.resolve(".done/grow.csv"), rows("g", 10, 15).substring(
                "id,key,temperature\n".length()), StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(20)).until(() -> resultIds().containsAll(ids("g", 0, 15)));

        SensorData.drop(inbox, "same.csv", rows("s1-", 0, 5));
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(inbox.resolve(".done/same.csv")));
        SensorData.drop(inbox, "same.csv", rows("s2-", 0, 5));
        await().atMost(Duration.ofSeconds(15)).until(() -> resultIds().containsAll(ids("s2-", 0, 5)));
        await().atMost(Duration.ofSeconds(5)).until(() -> sameNames(inbox.resolve(".done")).size() == 2);
        Set<String> contents = new HashSet<>();
        for (Path p : sameNames(inbox.resolve(".done"))) {
            contents.add(Files.readString(p));
        }
        assertEquals(Set.of(rows("s1-", 0, 5), rows("s2-", 0, 5)), contents);
        System.out.printf("AttackIT case 7: 5 rows appended after the read scored (%.0f file recovered); two files named"
                + " same.csv both kept: %s%n", metric("vigil_inbox_appends_recovered_total{source=\"file\"}"),
                sameNames(inbox.resolve(".done")).stream().map(p -> p.getFileName().toString()).toList());
        assertScores("after case 7");
    }

    private static String rows(String prefix, int from, int to) {
        StringBuilder b = new StringBuilder("id,key,temperature\n");
        for (int i = from; i < to; i++) {
            b.append(prefix).append(i).append(",rows,").append(20 + i % 3).append('\n');
        }
        return b.toString();
    }

    private static Set<String> ids(String prefix, int from, int to) {
        Set<String> ids = new TreeSet<>();
        for (int i = from; i < to; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private static List<Path> sameNames(Path done) throws IOException {
        try (Stream<Path> all = Files.list(done)) {
            return all.filter(p -> p.getFileName().toString().startsWith("same")).sorted().toList();
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // 8. Metric tags
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Case 8: 150 unauthenticated requests to paths nobody serves, then three /ingest requests. Each 401 was tagged
     * with its raw path; Micrometer keeps 100 URI tags, so the jar before this stopped recording /api/v1/ingest. Now
     * unknown paths share one tag and /ingest is counted.
     */
    @Test
    @Order(8)
    void unknownPaths_shareOneMetricTag_apiStillCounted() throws Exception {
        for (int i = 0; i < 150; i++) {
            HTTP.send(HttpRequest.newBuilder(vigil.api((i % 2 == 0 ? "/api/v1/x-" : "/nothing-") + i)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(202, vigil.post("/api/v1/ingest", "application/json", point("i-" + i, "ingest", 20))
                    .statusCode());
        }
        Set<String> uris = new TreeSet<>();
        Matcher m = Pattern.compile("^http_server_requests_seconds_count\\{.*uri=\"([^\"]*)\".*$", Pattern.MULTILINE)
                .matcher(vigil.metrics());
        while (m.find()) {
            uris.add(m.group(1));
        }
        System.out.printf("AttackIT case 8: after 150 unknown paths, URI tags %s%n", uris);
        assertTrue(uris.size() <= 6, uris.toString());
        assertTrue(metric("http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",status=\"202\","
                + "uri=\"/api/v1/ingest\"}") >= 3);
    }

    // ----------------------------------------------------------------------------------------------------------
    // 9. The smaller ones, and a few more
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Case 9, point by point: a key that is an object, a second features object, keys of invisible characters only,
     * the NFC and NFD spellings of one key, 1e-400. Each was taken before (the default key, the second features, a
     * key, two models, a 0); each is now refused by name, or one key.
     */
    @Test
    @Order(9)
    void ambiguousPoints_refusedByName_oneKeyPerSpelling() throws Exception {
        assertRefused("{\"id\":\"a-1\",\"key\":{\"k\":1},\"temperature\":20}", "invalid_key", "key");
        assertRefused("{\"id\":\"a-2\",\"key\":\"dup\",\"features\":{\"temperature\":1},\"features\":{\"pressure\":2}}",
                "duplicate_field", "features");
        assertRefused("{\"id\":\"a-3\",\"key\":\"\u00a0\",\"temperature\":20}", "invalid_key", "key");
        assertRefused("{\"id\":\"a-4\",\"key\":\"\u200b\u200b\",\"temperature\":20}", "invalid_key", "key");
        assertRefused("{\"id\":\"a-5\",\"key\":\"tiny\",\"temperature\":1e-400}", "out_of_range", "temperature");
        HttpResponse<String> spellings = vigil.post("/api/v1/score", "application/json", "["
                + point("nfc", "caf\u00e9", 20) + "," + point("nfd", "cafe\u0301", 20) + "]");
        assertEquals(200, spellings.statusCode(), spellings.body());
        assertEquals(2, count(spellings.body(), "\"key\":\"caf\u00e9\""), spellings.body());
    }

    private void assertRefused(String body, String reason, String field) throws Exception {
        HttpResponse<String> answer = vigil.post("/api/v1/score", "application/json", body);
        assertEquals(400, answer.statusCode(), answer.body());
        Map<String, Object> rejection = ((List<Map<String, Object>>) JsonLines.parse(answer.body()).get("rejected"))
                .get(0);
        assertEquals(reason, rejection.get("reason"), answer.body());
        assertEquals(field, rejection.get("field"), answer.body());
    }

    /**
     * Case 9, the connection. Content-Length sent with chunked framing: the HTTP decoder keeps the chunked reading and
     * drops Content-Length before Vigil sees the request, so a proxy in front that went by Content-Length would pass
     * a second request hidden after the body (request smuggling). The jar before this answered that second request
     * too; now the connection closes after the first answer. And a connection that never finishes its headers, sending
     * a byte of them every 2 s (opened when the class began), is closed by the idle timeout, 20 s after it began,
     * instead of being held (the review saw 40 s for one sending nothing; this jar before the timeout, over 120 s).
     */
    @Test
    @Order(10)
    void framingAndUnfinishedHeaders_smuggledRequestNeverRead_connectionClosed() throws Exception {
        String smuggled = "GET /api/v1/status HTTP/1.1\r\nHost: vigil\r\nX-API-Key: " + TestApiKeys.KEY + "\r\n\r\n";
        String chunked = "9\r\n{\"t\":1.5}\r\n0\r\n\r\n";
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), vigil.api("/").getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /api/v1/score HTTP/1.1\r\nHost: vigil\r\nX-API-Key: " + TestApiKeys.KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + chunked.length()
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked + smuggled).getBytes(StandardCharsets.US_ASCII));
            String answers = readAll(s.getInputStream());
            System.out.printf("AttackIT case 9: Content-Length with chunked and a request hidden after the body: %d"
                    + " answer(s) on the connection%n", count(answers, "HTTP/1.1 "));
            assertEquals(1, count(answers, "HTTP/1.1 "), answers);
        }
        long millis = unfinishedHeadersClosed.get(60, TimeUnit.SECONDS);
        System.out.printf("AttackIT case 9: a connection sending its headers a byte every 2 s was closed after %d ms%n",
                millis);
        assertTrue(millis >= 19_000 && millis < 30_000, "closed by the idle timeout (20 s): " + millis + " ms");
        assertScores("after the connection attacks");
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            in.transferTo(b);
        } catch (SocketTimeoutException | java.net.SocketException end) {
            // what arrived is enough
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /**
     * Case 9, the status: mallory sees only her own security events; the admin client sees everyone's. Before, any
     * key holder saw every client's names and addresses.
     */
    @Test
    @Order(11)
    void status_showsAClientOnlyItsOwnEvents_adminAll() throws Exception {
        for (String client : List.of("oscar", "mallory")) {
            post(client, "/api/v1/score", "{\"id\":\"ev\",\"key\":\"ev\",\"temperature\":\"warm\"}", Map.of());
        }
        HttpResponse<String> own = HTTP.send(HttpRequest.newBuilder(vigil.api("/api/v1/status"))
                .header(TestApiKeys.HEADER, KEYS.get("mallory")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, own.statusCode());
        Set<String> seenByMallory = clientsIn(own.body());
        Set<String> seenByAdmin = clientsIn(vigil.get(vigil.api("/api/v1/status")).body());
        System.out.printf("AttackIT case 9: status shows mallory the events of %s, the admin those of %s%n",
                seenByMallory, seenByAdmin);
        assertEquals(Set.of("mallory"), seenByMallory);
        assertTrue(seenByAdmin.containsAll(Set.of("mallory", "oscar")), seenByAdmin.toString());
    }

    private static Set<String> clientsIn(String status) {
        Set<String> clients = new TreeSet<>();
        Matcher m = Pattern.compile("\"client\":\"([^\"]*)\"").matcher(status);
        while (m.find()) {
            clients.add(m.group(1));
        }
        return clients;
    }

    /**
     * Not in the review: a gzip bomb (half a megabyte that inflates to 512 MiB) with {@code Content-Encoding: gzip}.
     * The server does not inflate request bodies: it is refused as what it is, bytes that are not UTF-8 JSON.
     */
    @Test
    @Order(12)
    void gzipBomb_notInflated() throws Exception {
        // 512 gzip members of 1 MiB of zeros each: a gzip stream may hold several, and an inflater reads them all.
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(member)) {
            gz.write(new byte[1 << 20]);
        }
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        for (int i = 0; i < 512; i++) {
            member.writeTo(bomb);
        }
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(vigil.api("/api/v1/score"))
                .header(TestApiKeys.HEADER, TestApiKeys.KEY).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bomb.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.printf("AttackIT gzip bomb: %d bytes inflating to 512 MiB: answered %d%n", bomb.size(),
                answer.statusCode());
        assertEquals(400, answer.statusCode(), answer.body());
        assertScores("after the gzip bomb");
    }

    /**
     * The rejected file rotates: 3,000 invalid lines through the inbox (not throttled), each kept to 4,096 characters,
     * about 13 MB of rejections, against a rotation at 1 MiB with 2 files kept. Before, rejected.jsonl only grew (the
     * review added 21 MB in 5 s). Now the folder holds at most the file and two rotated ones.
     */
    @Test
    @Order(13)
    void rejectedFile_rotatesWithinItsBound() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            lines.append("{\"id\":\"rot-").append(i).append("\",\"key\":\"rot\",\"t\":\"").append("x".repeat(4500))
                    .append("\"}\n");
        }
        SensorData.drop(vigil.dir.resolve("data/inbox"), "rotate.jsonl", lines.toString());
        // The file moves to .done once its last batch, rejections included, is written.
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(vigil.dir.resolve("data/inbox/.done/rotate.jsonl")));
        Path rejected = vigil.dir.resolve("data/rejected");
        List<Path> files;
        long total = 0;
        try (Stream<Path> all = Files.list(rejected)) {
            files = all.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        for (Path f : files) {
            total += Files.size(f);
        }
        System.out.printf("AttackIT rotation: about 13 MB of rejections; %s hold %d bytes; %.0f rotations, %.0f bytes"
                + " discarded%n", files.stream().map(p -> p.getFileName().toString()).toList(), total,
                metric("vigil_sink_file_rotations_total{sink=\"rejected\"}"),
                metric("vigil_sink_file_discarded_bytes_total{sink=\"rejected\"}"));
        assertTrue(files.size() <= 3, files.toString());
        assertTrue(total <= 3 * (1024 * 1024 + 100 * 5_000), total + " bytes");
        assertTrue(metric("vigil_sink_file_discarded_bytes_total{sink=\"rejected\"}") > 0);
        assertScores("after the rotation");
    }

    // ----------------------------------------------------------------------------------------------------------
    // The stop, the restart
    // ----------------------------------------------------------------------------------------------------------

    /**
     * Case 6, the stop, and case 2, the restart: SIGTERM while a 100,000-row file is being read. The review saw a stop
     * take 93 s with the inbox stalled, past the pod's 60 s grace period. Now the read halts at the stop's time limit
     * for files (1 s here), the file stays in the inbox and is read again, whole, after the restart. A file that
     * three earlier runs began and never finished (the markers such crashes leave) is moved to .error at the restart
     * instead of being read a fourth time.
     */
    @Test
    @Order(20)
    void stopWhileAFileIsRead_withinTheGracePeriod_fileReadAgainAfterTheRestart() throws Exception {
        Path inbox = vigil.dir.resolve("data/inbox");
        StringBuilder big = new StringBuilder("id,key,temperature,pressure\n");
        Random rng = new Random(20);
        int rows = 100_000;
        for (int i = 0; i < rows; i++) {
            big.append("b-").append(i).append(",big-").append(i % 20).append(',').append(String.format(Locale.ROOT,
                    "%.3f,%.3f", 20 + rng.nextGaussian(), 1000 + 5 * rng.nextGaussian())).append('\n');
        }
        double before = fileScored();
        SensorData.drop(inbox, "big.csv", big.toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> fileScored() > before);
        long start = System.nanoTime();
        vigil.stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFalse(vigil.isAlive());
        boolean halted = Files.exists(inbox.resolve("big.csv"));
        assertFalse(Files.exists(inbox.resolve(".error/big.csv")));

        Files.writeString(inbox.resolve("thrice.jsonl"), point("thrice-1", "thrice", 20) + "\n");
        Files.createDirectories(inbox.resolve(".reading"));
        Files.writeString(inbox.resolve(".reading/thrice.jsonl"), "3");
        vigil = vigil.restart();
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(inbox.resolve(".done/big.csv")));
        double scoredAfterRestart = fileScored();
        System.out.printf("AttackIT stop: SIGTERM while big.csv (%,d rows) was read: stopped in %d ms, %s; after the"
                + " restart %,.0f rows of it scored%n", rows, stopMillis, halted ? "the file left in the inbox"
                : "the file finished first", scoredAfterRestart);
        assertTrue(stopMillis < 30_000, "stop took " + stopMillis + " ms");
        if (halted) {
            assertEquals(rows, scoredAfterRestart, "the whole file, read again");
        }
        assertTrue(Files.exists(inbox.resolve(".error/thrice.jsonl")));
        assertTrue(Files.readString(inbox.resolve(".error/thrice.jsonl.reason.txt")).contains("began 3 times"));
        assertTrue(folders(vigil.dir.resolve("data/checkpoints")) <= 60);
        assertScores("after the restart");
    }

    private double fileScored() throws IOException, InterruptedException {
        double sum = 0;
        Matcher m = Pattern.compile("^vigil_points_scored_total\\{.*source=\"file\".*\\} ([0-9.eE+]+)$",
                Pattern.MULTILINE).matcher(vigil.metrics());
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    // ----------------------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------------------

    private static String point(String id, String key, double temperature) {
        return String.format(Locale.ROOT, "{\"id\":\"%s\",\"key\":\"%s\",\"temperature\":%.3f,\"pressure\":1000.5}", id,
                key, temperature);
    }

    /** The process is alive and scores an ordinary point, now. */
    private void assertScores(String when) throws Exception {
        assertTrue(vigil.isAlive(), "the service exited " + when + "\n" + vigil.logTail());
        String id = "probe-" + probes++;
        HttpResponse<String> r = vigil.post("/api/v1/score", "application/json", point(id, "probe", 20 + probes % 3));
        assertEquals(200, r.statusCode(), when + ": " + r.body());
        assertTrue(r.body().contains("\"id\":\"" + id + "\""), when + ": " + r.body());
    }

    private HttpResponse<String> post(String client, String pathAndQuery, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(vigil.api("/").toString().replaceAll("/$", "")
                + pathAndQuery)).header(TestApiKeys.HEADER, KEYS.get(client)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the Prometheus series starting with {@code series} (a name and its labels, or a name and a space). */
    private double metric(String series) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : vigil.metrics().split("\n")) {
            if (line.startsWith(series)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private List<Map<String, Object>> rejected() throws IOException {
        Path dir = vigil.dir.resolve("data/rejected");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(dir)) {
            return JsonLines.read(all.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toArray(Path[]::new));
        }
    }

    private long rejectedBytes() throws IOException {
        long bytes = 0;
        try (Stream<Path> all = Files.list(vigil.dir.resolve("data/rejected"))) {
            for (Path p : all.toList()) {
                bytes += Files.size(p);
            }
        }
        return bytes;
    }

    private Set<String> resultIds() throws IOException {
        Set<String> ids = new HashSet<>();
        try (Stream<Path> all = Files.walk(vigil.dir.resolve("data/out"))) {
            for (Map<String, Object> r : JsonLines.read(all.filter(p -> p.toString().endsWith(".jsonl"))
                    .toArray(Path[]::new))) {
                ids.add(String.valueOf(r.get("id")));
            }
        }
        return ids;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
