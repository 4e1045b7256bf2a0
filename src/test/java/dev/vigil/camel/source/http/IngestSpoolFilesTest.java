package dev.vigil.camel.source.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.camel.parse.InputProblem;
import dev.vigil.camel.parse.LineBatches;
import dev.vigil.detect.Rng;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.RawPoint;
import dev.vigil.service.point.RejectReason;
import dev.vigil.testing.TestDirs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ingest spool on a real folder, without the service: files in acceptance order with their client, values
 * back bit for bit, what a crash leaves behind, a damaged line, a full spool and a failing disk.
 */
class IngestSpoolFilesTest {
    private static final long SEED = 20261126L;
    private static final String[] NAMES = {"temperature", "pressure", "humidity"};
    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();
    private final TestDirs dirs = new TestDirs("ingest-spool-files");
    private Path dir;

    @BeforeEach
    void emptyFolder() {
        dirs.overrides(); // deletes what an earlier run left
        dir = dirs.ingestSpool();
    }

    @AfterAll
    static void closeCamel() throws IOException {
        CAMEL.close();
    }

    private IngestSpool spool(int maxFiles, long maxBytes, long offerTimeoutMillis, int batchSize) {
        return new IngestSpool(dir, true, maxFiles, maxBytes, offerTimeoutMillis,
                new LineBatches.Bounds(batchSize, 1 << 22, 1 << 20), new VigilMetrics(new SimpleMeterRegistry()));
    }

    private static Exchange request(String client, List<DataPoint> points) {
        Exchange e = new DefaultExchange(CAMEL);
        e.getMessage().setBody(PointBatch.ofPoints(HttpPoints.SOURCE, client, points));
        return e;
    }

    private static DataPoint point(String id, String key, double... values) {
        return new DataPoint(id, key, id.endsWith("0") ? null : "2026-11-26T03:00:00Z", NAMES, values);
    }

    private List<String> spoolFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(IngestSpool.SUFFIX)).sorted().toList();
        }
    }

    /** What the spool route does: each file in name order, split into batches, then done and deleted. */
    private List<PointBatch> drain(IngestSpool spool) throws Exception {
        List<PointBatch> batches = new ArrayList<>();
        for (String name : spoolFiles()) {
            Exchange e = new DefaultExchange(CAMEL);
            e.getMessage().setHeader(Exchange.FILE_NAME_ONLY, name);
            try (InputStream in = Files.newInputStream(dir.resolve(name))) {
                e.getMessage().setBody(in);
                spool.split(e).forEachRemaining(batches::add);
            }
            spool.done(e);
            Files.delete(dir.resolve(name));
        }
        return batches;
    }

    @Test
    void spooledPoints_comeBackInOrder_withTheirClient_bitForBit_andTheRoomIsFreed() throws Exception {
        System.out.printf(Locale.ROOT, "IngestSpoolFilesTest: seed %d%n", SEED);
        Rng rng = new Rng(SEED);
        IngestSpool spool = spool(1000, 1 << 30, 1000, 10);
        List<DataPoint> sent = new ArrayList<>();
        List<String> clients = new ArrayList<>();
        for (int request = 0; request < 12; request++) {
            List<DataPoint> points = new ArrayList<>();
            for (int i = 0; i < 1 + rng.nextInt(7); i++) {
                // Values of every magnitude: the spool must not round any of them.
                double scale = Math.pow(10, rng.nextInt(19) - 9);
                points.add(point("r" + request + "-" + i, "key-" + rng.nextInt(3), rng.nextGaussian() * scale,
                        rng.nextDouble(), -Double.MIN_NORMAL * rng.nextDouble()));
            }
            String client = request % 2 == 0 ? "client-a" : "bob/ü:" + request; // any name survives the file name
            spool.spool(request(client, points));
            sent.addAll(points);
            points.forEach(p -> clients.add(client));
        }
        assertEquals(12, spoolFiles().size());
        assertEquals(12, spool.waitingFiles());

        List<RawPoint> received = new ArrayList<>();
        List<String> receivedClients = new ArrayList<>();
        for (PointBatch b : drain(spool)) {
            assertTrue(b.raw().size() <= 10, "at most vigil.batch.size points per batch");
            assertEquals("http", b.source());
            assertTrue(b.rejections().isEmpty(), b.rejections().toString());
            received.addAll(b.raw());
            b.raw().forEach(p -> receivedClients.add(b.client()));
        }
        assertEquals(sent.size(), received.size());
        assertEquals(clients, receivedClients, "each point with the client that sent it");
        for (int i = 0; i < sent.size(); i++) {
            DataPoint want = sent.get(i);
            RawPoint got = received.get(i);
            assertEquals(want.id(), got.id(), "in acceptance order");
            assertEquals(want.key(), got.key());
            assertEquals(want.timestamp(), got.timestamp());
            assertArrayEquals(want.names(), got.names());
            for (int f = 0; f < want.values().length; f++) {
                assertEquals(Double.doubleToRawLongBits(want.values()[f]),
                        Double.doubleToRawLongBits((Double) got.values()[f]), "values bit for bit");
            }
        }
        assertEquals(List.of(), spoolFiles());
        assertEquals(0, spool.waitingFiles());
        assertEquals(0, spool.waitingBytes());
    }

    /** What the door pays per request: encode, write, force, rename, force the folder. Printed, not asserted. */
    @Test
    void spoolingARequestOf100Points_costIsPrinted() throws Exception {
        IngestSpool spool = spool(1000, 1 << 30, 1000, 100);
        Rng rng = new Rng(SEED);
        List<DataPoint> points = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            points.add(point("p" + i, "k", 20 + rng.nextGaussian(), 1000 + rng.nextGaussian(), 50 + rng.nextGaussian()));
        }
        int requests = 200;
        long start = System.nanoTime();
        for (int r = 0; r < requests; r++) {
            spool.spool(request("c", points));
        }
        double micros = (System.nanoTime() - start) / 1e3 / requests;
        assertEquals(requests, spoolFiles().size());
        System.out.printf(Locale.ROOT, "IngestSpoolFilesTest: spooling a request of 100 points takes %.0f µs (%d"
                + " requests, one thread, %d bytes each)%n", micros, requests, spool.waitingBytes() / requests);
    }

    @Test
    void aCrashLeavesWholeFiles_theyAreScoredFirstAfterTheRestart_temporariesAreDropped() throws Exception {
        IngestSpool before = spool(1000, 1 << 30, 1000, 100);
        before.spool(request("c", List.of(point("old-1", "k", 1, 2, 3))));
        before.spool(request("c", List.of(point("old-2", "k", 4, 5, 6))));
        Path cutShort = dir.resolve(".99999999999999999999-63.jsonl.tmp");
        Files.writeString(cutShort, "{\"half\":"); // a write cut short

        IngestSpool after = spool(1000, 1 << 30, 1000, 100);
        assertFalse(Files.exists(cutShort), "an unfinished write was never accepted");
        assertEquals(2, after.waitingFiles());
        after.spool(request("c", List.of(point("new-1", "k", 7, 8, 9))));
        List<String> ids = drain(after).stream().flatMap(b -> b.raw().stream()).map(RawPoint::id).toList();
        assertEquals(List.of("old-1", "old-2", "new-1"), ids, "the older files first");
        assertEquals(0, after.waitingFiles());
    }

    @Test
    void aDamagedLine_isRejectedWithItsReason_theRestOfTheFileIsRead() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("00000000000000000001-63.jsonl"),
                "{\"id\":\"a\",\"key\":\"k\",\"features\":{\"x\":1.5}}\n"
                        + "not json\n"
                        + "{\"id\":\"b\",\"key\":\"k\",\"features\":{\"x\":2.5}}\n");
        IngestSpool restarted = spool(1000, 1 << 30, 1000, 100);
        List<PointBatch> batches = drain(restarted);
        assertEquals(1, batches.size());
        PointBatch batch = batches.get(0);
        assertEquals("c", batch.client(), "the client from the file name");
        assertEquals(List.of("a", "b"), batch.raw().stream().map(RawPoint::id).toList());
        assertEquals(1, batch.rejections().size());
        assertEquals(RejectReason.MALFORMED, batch.rejections().get(0).rule());
        assertTrue(batch.rejections().get(0).message().startsWith("line 2: "), batch.rejections().get(0).message());
        assertEquals("not json", batch.rejections().get(0).original());
        assertEquals(List.of(), spoolFiles());
    }

    @Test
    void aFullSpool_makesTheRequestWait_then503WithRetryAfter_andRoomLetsItIn() throws Exception {
        IngestSpool spool = spool(2, 1 << 30, 300, 100);
        spool.spool(request("c", List.of(point("p1", "k", 1, 2, 3))));
        spool.spool(request("c", List.of(point("p2", "k", 1, 2, 3))));
        long start = System.nanoTime();
        InputProblem full = assertThrows(InputProblem.class,
                () -> spool.spool(request("c", List.of(point("p3", "k", 1, 2, 3)))));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(503, full.status());
        assertEquals("ingest_queue_full", full.code());
        assertTrue(full.retryAfterSeconds() >= 1);
        assertTrue(full.getMessage().contains("vigil.http.ingest-queue"), full.getMessage());
        assertTrue(waitedMillis >= 250, "waited for room first: " + waitedMillis + " ms");
        assertEquals(2, spoolFiles().size(), "nothing written for the refused request");

        IngestSpool patient = spool(2, 1 << 30, 30_000, 100);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                patient.spool(request("c", List.of(point("p4", "k", 1, 2, 3))));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertFalse(waiting.isDone(), "the spool is full: the request waits");
        Exchange first = new DefaultExchange(CAMEL);
        first.getMessage().setHeader(Exchange.FILE_NAME_ONLY, spoolFiles().get(0));
        patient.done(first);
        waiting.get(30, TimeUnit.SECONDS);
        assertEquals(3, spoolFiles().size(), "admitted once a file was done");
    }

    @Test
    void aFailingDisk_gets503_andNothingIsCountedAsAccepted() throws Exception {
        IngestSpool spool = spool(1000, 1 << 30, 1000, 100);
        spool.spool(request("c", List.of(point("ok", "k", 1, 2, 3))));
        // The folder disappears under the service and a plain file takes its place: no write can succeed.
        for (String name : spoolFiles()) {
            Files.delete(dir.resolve(name));
        }
        Files.delete(dir);
        Files.writeString(dir, "not a folder");
        try {
            InputProblem failed = assertThrows(InputProblem.class,
                    () -> spool.spool(request("c", List.of(point("lost?", "k", 1, 2, 3)))));
            assertEquals(503, failed.status());
            assertEquals("spool_unavailable", failed.code());
            assertTrue(failed.retryAfterSeconds() > 0);
            assertEquals(1, spool.waitingFiles(), "the failed request takes no room");
        } finally {
            Files.delete(dir);
        }
    }
}
