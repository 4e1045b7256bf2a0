package dev.vigil.camel.source.file;

import dev.vigil.camel.parse.LineBatches;
import dev.vigil.service.point.PointBatch;
import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A file's batches, the next one read and parsed on another thread while the route scores and writes the current
 * one: otherwise the route's thread reads while the scoring threads wait for its batch, and the two cores take
 * turns. One batch ahead at most, so a file needs the memory of two bounded batches. A read's failure surfaces
 * where its batch is asked for, as without reading ahead. After a halt (a stopping service) a batch read ahead is
 * dropped, so none follows the halt, and {@code onHalt} runs on the route's thread.
 */
final class ReadAhead implements Iterator<PointBatch>, Closeable {
    private final LineBatches lines;
    private final Executor reader;
    private final Runnable onHalt;
    /** The read under way on {@link #reader}; null when the next batch is to be read on the route's thread. */
    private CompletableFuture<PointBatch> ahead;
    private PointBatch next;
    private boolean ended;

    ReadAhead(LineBatches lines, Executor reader, Runnable onHalt) {
        this.lines = lines;
        this.reader = reader;
        this.onHalt = onHalt;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            next = take();
            if (next == null) {
                ended = true;
                if (lines.isHalted()) {
                    onHalt.run();
                }
            } else {
                readAhead();
            }
        }
        return next != null;
    }

    @Override
    public PointBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        PointBatch batch = next;
        next = null;
        return batch;
    }

    private PointBatch take() {
        CompletableFuture<PointBatch> read = ahead;
        ahead = null;
        PointBatch batch = read == null ? readOne() : joined(read);
        return lines.isHalted() ? null : batch;
    }

    private void readAhead() {
        try {
            ahead = CompletableFuture.supplyAsync(this::readOne, reader);
        } catch (RejectedExecutionException stopping) {
            ahead = null; // the reader is shut down: the route's thread reads the next batch itself
        }
    }

    private PointBatch readOne() {
        return lines.hasNext() ? lines.next() : null;
    }

    private static PointBatch joined(CompletableFuture<PointBatch> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Ends the iteration: a read under way is halted and waited for, so the file is not closed under it. */
    @Override
    public void close() throws IOException {
        ended = true;
        CompletableFuture<PointBatch> read = ahead;
        ahead = null;
        if (read != null) {
            lines.halt();
            try {
                read.join();
            } catch (CompletionException ignored) {
                // the iteration is over: a read's failure no longer has a batch to fail
            }
        }
        lines.close();
    }
}
