package dev.vigil.camel.source.file;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.camel.parse.LineBatches;
import dev.vigil.service.point.PointBatch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The inbox reads a file's next batch while the route handles the current one, and is otherwise the file's
 * batches as they were: the same batches in the same order, a read's failure where its batch is asked for, nothing
 * after a halt.
 */
class ReadAheadTest {
    private static final LineBatches.Bounds TWO_LINES = new LineBatches.Bounds(2, 1 << 20, 1 << 20);
    private final ExecutorService reader = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopReader() {
        reader.shutdownNow();
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static LineBatches lines(InputStream in) {
        return new LineBatches(in, "f.jsonl", "file", "f.jsonl", "d", true, TWO_LINES);
    }

    private static List<String> ids(PointBatch batch) {
        return batch.raw().stream().map(p -> p.id()).toList();
    }

    @Test
    void iteration_sameBatchesInTheSameOrder() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            jsonl.append("{\"id\":\"p").append(i).append("\",\"a\":").append(i).append("}\n");
        }
        List<List<String>> batches = new ArrayList<>();
        try (ReadAhead it = new ReadAhead(lines(text(jsonl.toString())), reader, () -> { })) {
            it.forEachRemaining(b -> batches.add(ids(b)));
        }
        assertEquals(List.of(List.of("p0", "p1"), List.of("p2", "p3"), List.of("p4", "p5"), List.of("p6")), batches);
    }

    /** The second batch's lines are read while the first is still with the route, without being asked for. */
    @Test
    void next_readsTheFollowingBatchOnTheReader() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(writer, 1 << 16);
        AtomicReference<Thread> readBy = new AtomicReference<>();
        reader.submit(() -> readBy.set(Thread.currentThread())).get();
        writer.write("{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n".getBytes(StandardCharsets.UTF_8));
        writer.flush();
        try (ReadAhead it = new ReadAhead(lines(in), reader, () -> { })) {
            assertEquals(List.of("a", "b"), ids(it.next()));
            writer.write("{\"id\":\"d\"}\n".getBytes(StandardCharsets.UTF_8));
            writer.close();
            // Nothing more asked of the iterator: the reader thread consumes the pipe on its own.
            await().atMost(Duration.ofSeconds(5)).until(() -> in.available() == 0 && readBy.get().getState()
                    == Thread.State.WAITING);
            assertEquals(List.of("c", "d"), ids(it.next()));
            assertFalse(it.hasNext());
        }
    }

    @Test
    void hasNext_readFailedAhead_failsWhereItsBatchIsAskedFor() throws Exception {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        };
        // The first batch fits in the reader's first fill; the failure comes with the next.
        byte[] first = "{\"id\":\"a\"}\n{\"id\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
        try (ReadAhead it = new ReadAhead(lines(new SequenceInputStream(new ByteArrayInputStream(first), failing)),
                reader, () -> { })) {
            assertEquals(List.of("a", "b"), ids(it.next()));
            UncheckedIOException e = assertThrows(UncheckedIOException.class, it::hasNext);
            assertEquals("disk gone", e.getCause().getMessage());
        }
    }

    /** A stopping service halts the read: the batch already read ahead is dropped, and onHalt runs on this thread. */
    @Test
    void hasNext_afterAHalt_noBatchAndOnHaltOnTheRouteThread() throws Exception {
        LineBatches lines = lines(text("{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n{\"id\":\"d\"}\n"));
        AtomicReference<Thread> haltedOn = new AtomicReference<>();
        try (ReadAhead it = new ReadAhead(lines, reader, () -> haltedOn.set(Thread.currentThread()))) {
            assertEquals(List.of("a", "b"), ids(it.next()));
            lines.halt();
            assertFalse(it.hasNext());
        }
        assertSame(Thread.currentThread(), haltedOn.get());
    }

    /** The splitter closes the iteration when a batch fails: a read under way is halted, not left on the file. */
    @Test
    void close_whileAReadWaits_haltsItAndReturns() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        LineBatches lines = lines(new PipedInputStream(writer, 1 << 16));
        writer.write("{\"id\":\"a\"}\n{\"id\":\"b\"}\n".getBytes(StandardCharsets.UTF_8));
        writer.flush();
        ReadAhead it = new ReadAhead(lines, reader, () -> { });
        assertEquals(List.of("a", "b"), ids(it.next())); // the next read now waits for the pipe's writer
        it.close();
        assertTrue(lines.isHalted());
        assertFalse(it.hasNext());
    }
}
