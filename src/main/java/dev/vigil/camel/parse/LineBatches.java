package dev.vigil.camel.parse;

import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.RawPoint;
import dev.vigil.service.point.RejectReason;
import dev.vigil.service.point.Rejection;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A text file of points read as a stream of batches of at most {@link Bounds#lines} lines and
 * {@link Bounds#chars} characters, so a file of any size, with lines of any length, needs the memory of one
 * bounded batch. CSV files ({@code .csv}) have a header line; JSON-lines files ({@code .jsonl}, {@code .ndjson},
 * {@code .json}) hold one object per line. A line that cannot be read becomes a rejection and the file goes on; a
 * line longer than {@link Bounds#lineLength} characters is rejected unread. Bytes that are not UTF-8 read as
 * U+FFFD, so such a line fails validation rather than the file. With {@code lineIds}, a point without an
 * {@code id} gets {@code <file>:<line>}, so each result of a dropped file can be traced to its line.
 *
 * <p>{@link #readingAhead()} reads and parses the next batch on a thread of its own while the caller routes the
 * current one: a file's points are then parsed while the previous batch is scored, instead of between batches.
 */
public final class LineBatches implements Iterator<PointBatch>, Closeable {
    private static final Logger LOG = Logger.getLogger(LineBatches.class);
    /** What the read-ahead thread hands over after the last batch. */
    private static final Object END = new Object();
    /** How long {@link #close()} waits for the read-ahead thread to end: it stops within one buffer of input. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;
    /**
     * How much a batch may hold: {@code lines} lines ({@code vigil.batch.size}) and {@code chars} characters of them
     * ({@code vigil.inbox.max-batch-chars}; a batch ends once its lines reach it, and one line always fits), each
     * at most {@code lineLength} characters long ({@code vigil.inbox.max-line-length}).
     */
    public record Bounds(int lines, int chars, int lineLength) {
    }

    private final String source;
    private final String client;
    private final String file;
    private final boolean csv;
    private final String defaultKey;
    private final boolean lineIds;
    private final Bounds bounds;
    private final BoundedLineReader reader;
    /** System.nanoTime() when the current read began, 0 between reads: a read that takes long is a stalled file. */
    private volatile long readingSince;
    private volatile boolean halted;
    private Runnable onHalt = () -> { };
    private CsvPoints header;
    private int lineNumber;
    private PointBatch next;
    private boolean done;
    /** With read-ahead: the batch read ahead (one at most), then {@link #END} or the failure of the read. */
    private BlockingQueue<Object> ahead;
    private Thread readAheadThread;

    /**
     * Batches of {@code file}'s lines, for {@code source} and {@code client}; refuses a file name that is none of the
     * supported types.
     */
    public LineBatches(InputStream in, String file, String source, String client, String defaultKey, boolean lineIds,
            Bounds bounds) {
        if (!supports(file)) {
            throw new IllegalArgumentException("unsupported file type: " + file + " (use .csv, .jsonl, .ndjson or .json)");
        }
        this.csv = file.toLowerCase(Locale.ROOT).endsWith(".csv");
        this.source = source;
        this.client = client;
        this.file = file;
        this.defaultKey = defaultKey;
        this.lineIds = lineIds;
        this.bounds = bounds;
        this.reader = new BoundedLineReader(new InputStreamReader(in, StandardCharsets.UTF_8), bounds.lineLength(),
                () -> halted);
    }

    /**
     * Stops the reading at once, from any thread: the read under way gives up its batch (within one buffer of
     * input, however long the line), no batch follows, and {@code onHalt} runs on the reading thread before the
     * iteration ends. For a stopping service: what was not read stays in the file.
     */
    public void halt() {
        halted = true;
    }

    /**
     * Reads ahead: the next batch is read and parsed on a thread of its own (one batch ahead at most, so a read
     * holds three batches of memory at most: the one routed, the one waiting, the one being read). Call before the
     * first {@link #hasNext()}. A halt still ends the iteration on the caller's thread; {@link #close()} stops the
     * thread.
     */
    public LineBatches readingAhead() {
        this.ahead = new ArrayBlockingQueue<>(1);
        return this;
    }

    /** What the iterating thread does when {@link #halt()} ends the iteration. */
    public LineBatches whenHalted(Runnable action) {
        this.onHalt = action;
        return this;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = ahead == null ? read() : takeAhead();
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

    /** Whether a file of this name is one this reads: {@code .csv}, {@code .jsonl}, {@code .ndjson} or {@code .json}. */
    public static boolean supports(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        return lower.endsWith(".csv") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json");
    }

    /** The file this reads. */
    public String file() {
        return file;
    }

    /** Nanoseconds the read under way has waited for the input so far; 0 when no read is under way. */
    public long readingForNanos() {
        long since = readingSince;
        return since == 0 ? 0 : Math.max(1, System.nanoTime() - since);
    }

    private PointBatch read() {
        PointBatch batch = halted ? null : timedRead();
        if (halted) {
            return endHalted();
        }
        done = batch == null;
        return batch;
    }

    /** A halt ends the iteration, on the iterating thread. */
    private PointBatch endHalted() {
        done = true;
        onHalt.run();
        return null;
    }

    /** The next batch from the read-ahead thread, started at the first call. */
    private PointBatch takeAhead() {
        if (readAheadThread == null) {
            readAheadThread = new Thread(this::readAhead, "vigil-read-ahead-" + file);
            readAheadThread.setDaemon(true);
            readAheadThread.start();
        }
        Object item;
        try {
            item = ahead.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException("cannot read " + file, new InterruptedIOException("interrupted"));
        }
        if (halted) {
            readAheadThread.interrupt(); // it may wait to hand over a batch nobody will take
            return endHalted();
        }
        if (item instanceof RuntimeException failure) {
            done = true;
            throw failure;
        }
        done = item == END;
        return done ? null : (PointBatch) item;
    }

    /** The read-ahead thread: batches until the end of the file, a failure, a halt or {@link #close()}. */
    private void readAhead() {
        try {
            while (true) {
                PointBatch batch;
                try {
                    batch = halted ? null : timedRead();
                } catch (RuntimeException failure) {
                    ahead.put(failure);
                    return;
                }
                if (batch == null) {
                    ahead.put(END);
                    return;
                }
                ahead.put(batch);
            }
        } catch (InterruptedException closed) {
            // close(): the iteration is over, nobody takes what was read
        }
    }

    /** One batch, or null at the end; {@link #readingForNanos()} counts while it waits for the input. */
    private PointBatch timedRead() {
        readingSince = System.nanoTime();
        try {
            return readBatch();
        } finally {
            readingSince = 0;
        }
    }

    private PointBatch readBatch() {
        List<RawPoint> raw = new ArrayList<>(Math.min(bounds.lines(), 1024));
        List<Rejection> rejected = new ArrayList<>();
        long chars = 0;
        try {
            String line;
            while (raw.size() + rejected.size() < bounds.lines() && chars < bounds.chars()
                    && (line = reader.readLine()) != null) {
                lineNumber++;
                chars += line.length();
                if (line == BoundedLineReader.TOO_LONG) {
                    rejected.add(reject(lineId(), RejectReason.MALFORMED, "line longer than " + bounds.lineLength()
                            + " characters (vigil.inbox.max-line-length)", ""));
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (csv && header == null) {
                        header = new CsvPoints(line);
                    } else {
                        raw.add(csv ? header.parse(line, lineIds ? lineId() : null, defaultKey) : jsonLine(line));
                    }
                } catch (InputProblem p) {
                    rejected.add(reject(lineId(), p.rejectReason(), "line " + lineNumber + ": " + p.getMessage(), line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (raw.isEmpty() && rejected.isEmpty()) {
            return null;
        }
        PointBatch batch = new PointBatch(source, client, raw);
        batch.rejections().addAll(rejected);
        return batch;
    }

    private RawPoint jsonLine(String line) {
        RawPoint p = JsonPoints.parseLine(line, defaultKey);
        return p.id() != null || !lineIds ? p : p.withId(lineId());
    }

    /** The id of a line that has none of its own: {@code <file>:<line>}. */
    private String lineId() {
        return file + ":" + lineNumber;
    }

    private Rejection reject(String id, RejectReason reason, String message, String original) {
        return new Rejection(source, client, id, null, null, reason, message, original);
    }

    @Override
    public void close() throws IOException {
        done = true;
        Thread thread = readAheadThread;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warnf("Inbox file %s: its read-ahead did not stop within %d ms; closing the file under it", file,
                        CLOSE_WAIT_MILLIS);
            }
        }
        reader.close();
    }
}
