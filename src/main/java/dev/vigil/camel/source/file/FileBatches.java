package dev.vigil.camel.source.file;

import dev.vigil.camel.parse.BoundedLineReader;
import dev.vigil.camel.parse.CsvPoints;
import dev.vigil.camel.parse.InputProblem;
import dev.vigil.camel.parse.JsonPoints;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.RawPoint;
import dev.vigil.service.point.RejectReason;
import dev.vigil.service.point.Rejection;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
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
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * Splits an inbox file into batches while streaming it: the route's splitter pulls one batch of
 * {@code vigil.batch.size} lines at a time, so a file of any size needs the memory of one batch. CSV files
 * ({@code .csv}) have a header line; JSON-lines files ({@code .jsonl}, {@code .ndjson}, {@code .json}) hold one
 * object per line. A line that cannot be read becomes a rejection and the file goes on. Bytes that are not
 * UTF-8 read as U+FFFD, so such a line fails validation rather than the file.
 */
@ApplicationScoped
@Named("fileBatches")
@RegisterForReflection
public class FileBatches {
    static final String SOURCE = "file";

    private final int batchSize;
    private final int maxLineLength;
    private final String defaultKey;

    @Inject
    public FileBatches(VigilConfig config) {
        this.batchSize = config.batch().size();
        this.maxLineLength = config.inbox().maxLineLength();
        this.defaultKey = config.keys().defaultKey();
    }

    public Iterator<PointBatch> split(Exchange exchange) throws InvalidPayloadException {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class);
        String lower = name.toLowerCase(Locale.ROOT);
        boolean csv = lower.endsWith(".csv");
        if (!csv && !lower.endsWith(".jsonl") && !lower.endsWith(".ndjson") && !lower.endsWith(".json")) {
            throw new IllegalArgumentException("unsupported file type: " + name + " (use .csv, .jsonl, .ndjson or .json)");
        }
        return new Batches(name, csv, new BoundedLineReader(new InputStreamReader(in, StandardCharsets.UTF_8),
                maxLineLength));
    }

    private final class Batches implements Iterator<PointBatch>, Closeable {
        private final String file;
        private final boolean csv;
        private final BoundedLineReader reader;
        private CsvPoints header;
        private int lineNumber;
        private PointBatch next;
        private boolean done;

        Batches(String file, boolean csv, BoundedLineReader reader) {
            this.file = file;
            this.csv = csv;
            this.reader = reader;
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
                            raw.add(csv ? header.parse(line, id, defaultKey) : JsonPoints.parseLine(line, defaultKey));
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
            PointBatch batch = new PointBatch(SOURCE, file, raw);
            batch.rejections().addAll(rejected);
            return batch;
        }

        private Rejection reject(String id, RejectReason reason, String message, String original) {
            return new Rejection(SOURCE, file, id, null, null, reason, message, original);
        }

        @Override
        public void close() throws IOException {
            done = true;
            reader.close();
        }
    }
}
