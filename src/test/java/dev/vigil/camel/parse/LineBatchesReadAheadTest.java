package dev.vigil.camel.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.point.PointBatch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reading ahead changes when a file's lines are parsed, not what the batches hold, and ends with the iteration. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LineBatchesReadAheadTest {
    private static final LineBatches.Bounds BOUNDS = new LineBatches.Bounds(100, 1 << 20, 10_000);

    private static String file(int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            // Every 37th line is malformed: rejections keep their place and line ids too.
            sb.append(i % 37 == 5 ? "{not json" : "{\"key\":\"k" + (i % 7) + "\",\"features\":{\"v\":" + i + "}}")
                    .append('\n');
        }
        return sb.toString();
    }

    private static LineBatches batches(InputStream in) {
        return new LineBatches(in, "points.jsonl", "file", "points.jsonl", "default", true, BOUNDS);
    }

    private static List<String> contents(LineBatches batches) {
        List<String> out = new ArrayList<>();
        while (batches.hasNext()) {
            PointBatch b = batches.next();
            out.add(b.raw().stream().map(p -> p.id() + "=" + p.key() + ":" + p.values()[0]).toList() + " "
                    + b.rejections().stream().map(r -> r.id() + ":" + r.rule()).toList());
        }
        return out;
    }

    @Test
    void readAhead_sameBatchesInTheSameOrder() throws IOException {
        byte[] text = file(1_050).getBytes(StandardCharsets.UTF_8);
        List<String> plain;
        try (LineBatches b = batches(new ByteArrayInputStream(text))) {
            plain = contents(b);
        }
        try (LineBatches b = batches(new ByteArrayInputStream(text)).readingAhead()) {
            assertEquals(plain, contents(b));
        }
        assertEquals(11, plain.size());
    }

    @Test
    void failedRead_endsTheIterationWithTheFailure() throws IOException {
        byte[] text = file(250).getBytes(StandardCharsets.UTF_8);
        InputStream failing = new InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                if (at == text.length / 2) {
                    throw new IOException("disk gone");
                }
                return text[at++];
            }
        };
        try (LineBatches b = batches(failing).readingAhead()) {
            assertTrue(b.hasNext());
            b.next();
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> {
                while (b.hasNext()) {
                    b.next();
                }
            });
            assertEquals("disk gone", e.getCause().getMessage());
            assertFalse(b.hasNext());
        }
    }

    /** Left after one batch: at most one more is read and waits, and closing stops the reading thread. */
    @Test
    void closedEarly_readsAtMostOneBatchAheadAndStops() throws Exception {
        byte[] text = file(100_000).getBytes(StandardCharsets.UTF_8);
        AtomicLong read = new AtomicLong();
        AtomicBoolean closed = new AtomicBoolean();
        InputStream counting = new ByteArrayInputStream(text) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                read.addAndGet(Math.max(0, n));
                return n;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        LineBatches b = batches(counting).readingAhead();
        assertTrue(b.hasNext());
        b.next();
        Thread.sleep(200);
        long perBatch = text.length / 1_000;
        // The batch taken, the one waiting, the one being read, and the reader's buffer.
        assertTrue(read.get() < 3 * perBatch + 65_536, read.get() + " bytes read for batches of " + perBatch);
        b.close();
        assertTrue(closed.get());
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("vigil-read-ahead-points.jsonl")), "the reading thread ended");
    }

    @Test
    void halted_iterationEndsOnTheCallersThread() throws IOException {
        byte[] text = file(1_000).getBytes(StandardCharsets.UTF_8);
        Thread caller = Thread.currentThread();
        AtomicBoolean haltedOnCaller = new AtomicBoolean();
        try (LineBatches b = batches(new ByteArrayInputStream(text)).readingAhead()
                .whenHalted(() -> haltedOnCaller.set(Thread.currentThread() == caller))) {
            assertTrue(b.hasNext());
            b.next();
            b.halt();
            assertFalse(b.hasNext());
            assertTrue(haltedOnCaller.get());
        }
    }
}
