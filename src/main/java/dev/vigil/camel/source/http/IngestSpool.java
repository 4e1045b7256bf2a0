package dev.vigil.camel.source.http;

import dev.vigil.camel.parse.InputProblem;
import dev.vigil.camel.pipeline.Headers;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.RejectReason;
import dev.vigil.service.point.Rejection;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

/**
 * The durable hand-over of accepted {@code /ingest} requests ({@code vigil.http.ingest-mode=spool}). At the HTTP
 * door, {@link #spool} writes the request's valid points to one file in {@code vigil.http.ingest-spool-dir}: to a
 * temporary name, forced to disk, then renamed (and the folder forced), so a crash leaves the whole file or
 * none; only then is 202 answered. The route {@code http-ingest-spool} drains the folder on one thread, in
 * acceptance order (file names are an increasing sequence): {@link #take} reads the oldest files, up to
 * {@code 10 × vigil.batch.size} points, into batches of at most {@code vigil.batch.size} points of one key, and
 * {@link #done} deletes those files once every batch was routed. A crash in between scores them again after the
 * restart: at-least-once, like the file inbox.
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
    private static final String TEMPORARY = ".tmp";
    private static final String ERROR_FOLDER = ".error";
    private static final long RETRY_AFTER_FULL = 1;
    private static final long RETRY_AFTER_FAILED = 5;
    /** How long a graceful stop keeps draining before it leaves the rest on disk for the next start. */
    public static final long SHUTDOWN_DRAIN_MILLIS = 30_000;

    private final Path dir;
    private final boolean enabled;
    private final int maxFiles;
    private final long maxBytes;
    private final long offerTimeoutMillis;
    private final int batchSize;
    private final int chunkPoints;
    private final VigilMetrics metrics;
    /** Files not yet done, by name (= acceptance order), with their sizes. */
    private final ConcurrentSkipListMap<String, Long> waiting = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence;
    private final AtomicLong writeFailures = new AtomicLong();
    private final Object room = new Object();
    private int files;
    private long bytes;
    private volatile long drainDeadline = Long.MAX_VALUE;

    /** What {@link #take} read: the files, and their points as batches (and unreadable lines as rejections). */
    @RegisterForReflection // the route reads body.batches() by name
    public record Chunk(List<String> files, List<PointBatch> batches) {
    }

    @Inject
    public IngestSpool(VigilConfig config, VigilMetrics metrics) {
        this(Path.of(config.http().ingestSpoolDir()), config.http().ingestMode() == VigilConfig.Http.IngestMode.SPOOL,
                config.http().ingestQueue(), config.http().ingestSpoolMaxMb() * 1024 * 1024,
                config.http().ingestOfferTimeout(), config.batch().size(), metrics);
    }

    IngestSpool(Path dir, boolean enabled, int maxFiles, long maxBytes, long offerTimeoutMillis, int batchSize,
            VigilMetrics metrics) {
        this.dir = dir;
        this.enabled = enabled;
        this.maxFiles = maxFiles;
        this.maxBytes = maxBytes;
        this.offerTimeoutMillis = offerTimeoutMillis;
        this.batchSize = batchSize;
        this.chunkPoints = 10 * batchSize;
        this.metrics = metrics;
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
     * Creates the folder (in spool mode), deletes temporaries a crash left (never acknowledged), and queues the
     * files a previous run accepted but did not finish. Returns the newest sequence found.
     */
    private long scan() {
        try {
            if (enabled) {
                Files.createDirectories(dir);
            } else if (!Files.isDirectory(dir)) {
                return 0;
            }
            long newest = 0;
            try (Stream<Path> all = Files.list(dir)) {
                for (Path p : all.toList()) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(TEMPORARY)) {
                        Files.deleteIfExists(p);
                    } else if (name.endsWith(SUFFIX) && Files.isRegularFile(p)) {
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

    private static long sequenceOf(String name) {
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0; // a file someone else put here: read in name order like the others
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

    /**
     * The HTTP door: stores the batch's valid points durably, or refuses the request with 503 (spool full after
     * {@code vigil.http.ingest-offer-timeout}, or the disk failed). Returns only once the file is on disk.
     */
    public void spool(Exchange exchange) throws InterruptedException {
        PointBatch batch = Headers.batch(exchange);
        byte[] content = SpooledPoints.encode(batch.client(), batch.points());
        reserve(content.length);
        String name = String.format("%020d", sequence.incrementAndGet()) + SUFFIX;
        try {
            write(name, content);
        } catch (IOException | RuntimeException e) {
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
        waiting.put(name, (long) content.length);
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

    private void write(String name, byte[] content) throws IOException {
        Path tmp = dir.resolve(name + TEMPORARY);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // makes the rename itself durable
        }
    }

    /** Whether the drain should take another chunk: files wait, and a graceful stop has not run out of time. */
    public boolean hasWaiting() {
        return !waiting.isEmpty() && System.currentTimeMillis() < drainDeadline;
    }

    /** At a graceful stop: drain for at most {@link #SHUTDOWN_DRAIN_MILLIS} more, then leave the rest on disk. */
    public void stopDrainingAfter(long millis) {
        drainDeadline = System.currentTimeMillis() + millis;
    }

    /**
     * Reads the oldest waiting files, up to {@code 10 × vigil.batch.size} points (at least one file), into
     * batches of one key each, in acceptance order, at most {@code vigil.batch.size} points each.
     */
    public Chunk take() {
        List<String> taken = new ArrayList<>();
        Map<String, List<SpooledPoints.Line>> byKey = new LinkedHashMap<>();
        List<Rejection> unreadable = new ArrayList<>();
        int points = 0;
        for (String name : waiting.keySet()) {
            if (points >= chunkPoints) {
                break;
            }
            taken.add(name);
            for (SpooledPoints.Line line : read(name, unreadable)) {
                byKey.computeIfAbsent(line.point().key(), k -> new ArrayList<>()).add(line);
                points++;
            }
        }
        List<PointBatch> batches = new ArrayList<>();
        for (List<SpooledPoints.Line> lines : byKey.values()) {
            for (int from = 0; from < lines.size(); from += batchSize) {
                List<SpooledPoints.Line> part = lines.subList(from, Math.min(lines.size(), from + batchSize));
                List<DataPoint> batchPoints = part.stream().map(SpooledPoints.Line::point).toList();
                batches.add(PointBatch.ofPoints(HttpPoints.SOURCE, part.get(0).client(), batchPoints));
            }
        }
        if (!unreadable.isEmpty()) {
            PointBatch rejected = PointBatch.ofPoints(HttpPoints.SOURCE, "ingest-spool", List.of());
            rejected.rejections().addAll(unreadable);
            metrics.rejected(unreadable);
            batches.add(rejected);
        }
        return new Chunk(taken, batches);
    }

    private List<SpooledPoints.Line> read(String name, List<Rejection> unreadable) {
        Path file = dir.resolve(name);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return SpooledPoints.decode(reader, (number, text, reason) -> unreadable.add(new Rejection(
                    HttpPoints.SOURCE, "ingest-spool", name + ":" + number, null, null, RejectReason.MALFORMED,
                    "ingest spool file " + name + " line " + number + ": " + reason, text)));
        } catch (NoSuchFileException e) {
            LOG.warnf("Ingest spool file %s vanished before it was scored", file);
            metrics.count("vigil.ingest.spool.read.failures", "Spool files that could not be read", "reason",
                    "missing");
            return List.of();
        } catch (IOException | UncheckedIOException e) {
            // Kept for the operator in .error rather than retried for ever or deleted.
            LOG.errorf("Cannot read ingest spool file %s (moved to %s): %s", file, ERROR_FOLDER, e.toString());
            metrics.count("vigil.ingest.spool.read.failures", "Spool files that could not be read", "reason",
                    "unreadable");
            try {
                Files.createDirectories(dir.resolve(ERROR_FOLDER));
                Files.move(file, dir.resolve(ERROR_FOLDER).resolve(name), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.errorf("Cannot move %s aside either: %s", file, moveFailed.toString());
            }
            return List.of();
        }
    }

    /** Deletes the files of a chunk whose batches were all routed, and makes room for waiting requests. */
    public void done(Chunk chunk) {
        for (String name : chunk.files()) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                // Still done in this run; after a restart the file would be scored again (a duplicate, not a loss).
                LOG.warnf("Cannot delete the scored ingest spool file %s: %s", name, e.toString());
            }
            Long size = waiting.remove(name);
            if (size != null) {
                release(size);
            }
        }
    }
}
