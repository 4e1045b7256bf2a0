package dev.vigil.camel.source.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.camel.parse.InputProblem;
import dev.vigil.camel.parse.LineBatches;
import dev.vigil.camel.pipeline.Headers;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.storage.AtomicFiles;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.jboss.logging.Logger;

/**
 * The durable hand-over of accepted {@code /ingest} requests ({@code vigil.http.ingest-mode=spool}). At the HTTP
 * door, {@link #spool} writes the request's validated points as one JSON-lines file into
 * {@code vigil.http.ingest-spool-dir} with {@link AtomicFiles} (whole or absent, on disk before the call returns);
 * only then is 202 answered. The route {@code http-ingest-spool} is a file consumer of that folder like the inbox,
 * on one thread and in name order (names start with an increasing sequence), so a key's points keep their order:
 * {@link #split} streams a file into batches with the inbox's own line reader ({@link LineBatches}), the batches
 * go through the same validation and detection, and the file is deleted once every batch was routed
 * ({@link #done} then frees its room). A crash in between scores it again after the restart: at-least-once, like
 * the file inbox. The client a request came from is kept in the file name, so its results and rejections name it.
 *
 * <p>The spool is bounded by {@code vigil.http.ingest-queue} files and {@code vigil.http.ingest-spool-max-mb}: a
 * request finding it full waits up to {@code vigil.http.ingest-offer-timeout} for room, then gets 503 with
 * Retry-After. A write that fails (a full or failing disk) gets 503 too: no 202 is ever given for points that
 * are not on disk.
 */
@ApplicationScoped
@Named("ingestSpool")
@RegisterForReflection
public class IngestSpool {
    private static final Logger LOG = Logger.getLogger(IngestSpool.class);
    static final String SUFFIX = ".jsonl";
    /** Most bytes of the client name kept in a file name (hex doubles them; file names stop at 255). */
    private static final int MAX_CLIENT_BYTES = 100;
    private static final long RETRY_AFTER_FULL = 1;
    private static final long RETRY_AFTER_FAILED = 5;
    private static final JsonFactory JSON = new JsonFactory();

    private final Path dir;
    private final boolean enabled;
    private final int maxFiles;
    private final long maxBytes;
    private final long offerTimeoutMillis;
    private final LineBatches.Bounds bounds;
    /** Files not yet done, by name (= acceptance order), with their sizes. */
    private final ConcurrentSkipListMap<String, Long> waiting = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence;
    private final AtomicLong writeFailures = new AtomicLong();
    private final Object room = new Object();
    private int files;
    private long bytes;

    @Inject
    public IngestSpool(VigilConfig config, VigilMetrics metrics) {
        this(Path.of(config.http().ingestSpoolDir()), config.http().ingestMode() == VigilConfig.Http.IngestMode.SPOOL,
                config.http().ingestQueue(), config.http().ingestSpoolMaxMb() * 1024 * 1024,
                config.http().ingestOfferTimeout(), new LineBatches.Bounds(config.batch().size(),
                        config.inbox().maxBatchChars(), config.inbox().maxLineLength()), metrics);
    }

    IngestSpool(Path dir, boolean enabled, int maxFiles, long maxBytes, long offerTimeoutMillis,
            LineBatches.Bounds bounds, VigilMetrics metrics) {
        this.dir = dir;
        this.enabled = enabled;
        this.maxFiles = maxFiles;
        this.maxBytes = maxBytes;
        this.offerTimeoutMillis = offerTimeoutMillis;
        this.bounds = bounds;
        long newest = scan();
        this.sequence = new AtomicLong(Math.max(newest, System.currentTimeMillis() * 1000));
        metrics.gauge("vigil.ingest.spool.requests", "Accepted /ingest requests on disk, not yet scored",
                this::waitingFiles);
        metrics.gaugeIn("vigil.ingest.spool", "Size of the accepted /ingest requests on disk", "bytes",
                this::waitingBytes);
        metrics.counted("vigil.ingest.spool.write.failures", "/ingest requests refused because the spool could not"
                + " store them", writeFailures::get);
    }

    /**
     * Creates the folder (in spool mode), deletes temporaries a crash left (never acknowledged), and counts the
     * files a previous run accepted but did not finish. Returns the newest sequence found.
     */
    private long scan() {
        try {
            if (enabled) {
                Files.createDirectories(dir);
            } else if (!Files.isDirectory(dir)) {
                return 0;
            }
            AtomicFiles.deleteTemporaries(dir);
            long newest = 0;
            try (Stream<Path> all = Files.list(dir)) {
                for (Path p : all.toList()) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(SUFFIX) && !name.startsWith(".") && Files.isRegularFile(p)) {
                        long size = Files.size(p);
                        waiting.put(name, size);
                        files++;
                        bytes += size;
                        newest = Math.max(newest, sequenceOf(name));
                    }
                }
            }
            if (files > 0) {
                LOG.infof("Ingest spool %s holds %d accepted requests (%d bytes) from before the start; they are"
                        + " scored first", dir, files, bytes);
            }
            return newest;
        } catch (IOException e) {
            throw new UncheckedIOException("vigil.http.ingest-spool-dir: cannot use " + dir.toAbsolutePath() + ": " + e,
                    e);
        }
    }

    /** {@code <sequence>-<client in hex>.jsonl}: the order of acceptance, then who sent it. */
    private String fileName(long seq, String client) {
        byte[] name = client.getBytes(StandardCharsets.UTF_8);
        return String.format("%020d", seq) + "-" + HexFormat.of().formatHex(name, 0,
                Math.min(name.length, MAX_CLIENT_BYTES)) + SUFFIX;
    }

    private static long sequenceOf(String name) {
        int end = name.indexOf('-');
        try {
            return Long.parseLong(name.substring(0, end < 0 ? name.length() - SUFFIX.length() : end));
        } catch (NumberFormatException e) {
            return 0; // a file someone else put here: read in name order like the others
        }
    }

    /** The client a spool file came from, or the file name itself for a file someone else put here. */
    static String clientOf(String name) {
        int dash = name.indexOf('-');
        if (dash < 0 || !name.endsWith(SUFFIX)) {
            return name;
        }
        try {
            byte[] client = HexFormat.of().parseHex(name, dash + 1, name.length() - SUFFIX.length());
            return new String(client, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }

    public int waitingFiles() {
        synchronized (room) {
            return files;
        }
    }

    public long waitingBytes() {
        synchronized (room) {
            return bytes;
        }
    }

    /** Whether accepted requests wait to be scored: at a graceful stop the spool route runs until none do. */
    public boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    /**
     * The HTTP door: stores the batch's valid points durably, or refuses the request with 503 (spool full after
     * {@code vigil.http.ingest-offer-timeout}, or the disk failed). Returns only once the file is on disk.
     */
    public void spool(Exchange exchange) throws InterruptedException {
        PointBatch batch = Headers.batch(exchange);
        byte[] content = encode(batch.points());
        reserve(content.length);
        String name = fileName(sequence.incrementAndGet(), batch.client());
        // Known before it exists: the spool route may read and finish the file before write() returns.
        waiting.put(name, (long) content.length);
        try {
            AtomicFiles.write(dir.resolve(name), content);
        } catch (IOException | RuntimeException e) {
            waiting.remove(name);
            release(content.length);
            long failures = writeFailures.incrementAndGet();
            if (failures == 1 || failures % 1000 == 0) {
                LOG.warnf("Cannot write to the ingest spool %s (failure %d; /ingest answers 503): %s", dir, failures,
                        e.toString());
            }
            throw new InputProblem(503, "spool_unavailable", "the accepted points could not be stored durably ("
                    + e.getClass().getSimpleName() + "); nothing of this request was accepted, retry later",
                    RETRY_AFTER_FAILED);
        }
    }

    /**
     * One JSON line per point, as the inbox reads them: {@code {"id", "key", "timestamp", "features": {...}}},
     * features in the key's schema order, values in Java's shortest round-trip form so they read back bit for bit.
     */
    static byte[] encode(List<DataPoint> points) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + points.size() * 96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (DataPoint p : points) {
                g.writeStartObject();
                if (p.id() != null) {
                    g.writeStringField("id", p.id());
                }
                g.writeStringField("key", p.key());
                if (p.timestamp() != null) {
                    g.writeStringField("timestamp", p.timestamp());
                }
                g.writeObjectFieldStart("features");
                for (int i = 0; i < p.names().length; i++) {
                    g.writeNumberField(p.names()[i], p.values()[i]);
                }
                g.writeEndObject();
                g.writeEndObject();
                g.flush();
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void reserve(int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(offerTimeoutMillis);
        synchronized (room) {
            while (files > 0 && (files >= maxFiles || bytes + size > maxBytes)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new InputProblem(503, "ingest_queue_full", "the ingest spool holds " + files
                            + " requests and " + bytes + " bytes not yet scored (vigil.http.ingest-queue, "
                            + "vigil.http.ingest-spool-max-mb); retry after " + RETRY_AFTER_FULL + " s",
                            RETRY_AFTER_FULL);
                }
                TimeUnit.NANOSECONDS.timedWait(room, left);
            }
            files++;
            bytes += size;
        }
    }

    private void release(long size) {
        synchronized (room) {
            files--;
            bytes -= size;
            room.notifyAll();
        }
    }

    /** The spool route: a spooled request's points as batches, for the client that sent them, as source http. */
    public Iterator<PointBatch> split(Exchange exchange) throws InvalidPayloadException {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class);
        return new ReadBack(new LineBatches(in, name, HttpPoints.SOURCE, clientOf(name), "", false, bounds));
    }

    /** A spooled file's batches, marked as counted: /ingest counted their points as received at the door. */
    private record ReadBack(LineBatches lines) implements Iterator<PointBatch>, Closeable {
        @Override
        public boolean hasNext() {
            return lines.hasNext();
        }

        @Override
        public PointBatch next() {
            return lines.next().markCountedOnArrival();
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /** The spool route, once every batch of a file was routed: the file is deleted next, its room is free. */
    public void done(Exchange exchange) {
        Long size = waiting.remove(exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class));
        if (size != null) {
            release(size);
        }
    }
}
