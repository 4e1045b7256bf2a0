package dev.vigil.camel.parse;

import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.RawPoint;
import dev.vigil.service.point.RejectReason;
import dev.vigil.service.point.Rejection;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * A text file of points read as a stream of batches of {@code batchSize} lines, so a file of any size needs the
 * memory of one batch. CSV files ({@code .csv}) have a header line; JSON-lines files ({@code .jsonl},
 * {@code .ndjson}, {@code .json}) hold one object per line. A line that cannot be read becomes a rejection and the
 * file goes on; a line longer than {@code maxLineLength} characters is rejected unread. Bytes that are not UTF-8
 * read as U+FFFD, so such a line fails validation rather than the file. With {@code lineIds}, a point without an
 * {@code id} gets {@code <file>:<line>}, so each result of a dropped file can be traced to its line.
 */
public final class LineBatches implements Iterator<PointBatch>, Closeable {
    private final String source;
    private final String client;
    private final String file;
    private final boolean csv;
    private final String defaultKey;
    private final boolean lineIds;
    private final int batchSize;
    private final int maxLineLength;
    private final BoundedLineReader reader;
    private CsvPoints header;
    private int lineNumber;
    private PointBatch next;
    private boolean done;

    /**
     * Batches of {@code file}'s lines, for {@code source} and {@code client}; refuses a file name that is none of the
     * supported types.
     */
    public LineBatches(InputStream in, String file, String source, String client, String defaultKey, boolean lineIds,
            int batchSize, int maxLineLength) {
        String lower = file.toLowerCase(Locale.ROOT);
        this.csv = lower.endsWith(".csv");
        if (!csv && !lower.endsWith(".jsonl") && !lower.endsWith(".ndjson") && !lower.endsWith(".json")) {
            throw new IllegalArgumentException("unsupported file type: " + file + " (use .csv, .jsonl, .ndjson or .json)");
        }
        this.source = source;
        this.client = client;
        this.file = file;
        this.defaultKey = defaultKey;
        this.lineIds = lineIds;
        this.batchSize = batchSize;
        this.maxLineLength = maxLineLength;
        this.reader = new BoundedLineReader(new InputStreamReader(in, StandardCharsets.UTF_8), maxLineLength);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = read();
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

    private PointBatch read() {
        List<RawPoint> raw = new ArrayList<>(batchSize);
        List<Rejection> rejected = new ArrayList<>();
        try {
            String line;
            while (raw.size() + rejected.size() < batchSize && (line = reader.readLine()) != null) {
                lineNumber++;
                String id = file + ":" + lineNumber;
                if (line == BoundedLineReader.TOO_LONG) {
                    rejected.add(reject(id, RejectReason.MALFORMED, "line longer than " + maxLineLength
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
                        raw.add(csv ? header.parse(line, lineIds ? id : null, defaultKey) : jsonLine(line, id));
                    }
                } catch (InputProblem p) {
                    rejected.add(reject(id, p.rejectReason(), "line " + lineNumber + ": " + p.getMessage(), line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (raw.isEmpty() && rejected.isEmpty()) {
            done = true;
            return null;
        }
        PointBatch batch = new PointBatch(source, client, raw);
        batch.rejections().addAll(rejected);
        return batch;
    }

    private RawPoint jsonLine(String line, String id) {
        RawPoint p = JsonPoints.parseLine(line, defaultKey);
        return p.id() != null || !lineIds ? p : new RawPoint(id, p.key(), p.timestamp(), p.names(), p.values(), p.original());
    }

    private Rejection reject(String id, RejectReason reason, String message, String original) {
        return new Rejection(source, client, id, null, null, reason, message, original);
    }

    @Override
    public void close() throws IOException {
        done = true;
        reader.close();
    }
}
