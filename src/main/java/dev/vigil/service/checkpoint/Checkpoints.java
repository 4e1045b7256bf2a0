package dev.vigil.service.checkpoint;

import dev.vigil.detect.grade.KeyGrading;
import dev.vigil.detect.grade.ScoreRanks;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.service.config.DetectionSettings;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Checkpoints of the entities' pipelines: taken every {@code vigil.checkpoint.interval} learned points of a key,
 * when a key is evicted and at shutdown; restored at start and when an evicted key comes back.
 *
 * <p>A snapshot is taken under the entity's locks (an in-memory copy, fast); the file is written by one
 * background thread, so scoring never waits for the disk. Until it is written, the snapshot stays in
 * {@link #pending}, where a key that comes back finds it. A damaged, foreign or stale file is refused with a
 * log line and the {@code vigil_checkpoint_refused_total} metric, and the key's previous checkpoint is tried;
 * nothing here stops the service. A failing disk (full, gone, not a folder) is logged and counted while scoring
 * goes on, and {@link #failingSince()} says so until a checkpoint is written again; a key whose snapshot did not
 * reach the disk is checkpointed again on a later batch ({@value #RETRY_MILLIS} ms after the last failure at the
 * earliest) rather than only after another interval. The folder is kept within {@code vigil.checkpoint.retention} and
 * {@code vigil.checkpoint.max-mb} by {@link CheckpointRetention}, swept on the writer thread, sparing the live keys
 * (see {@link #liveKeys}).
 */
@ApplicationScoped
public class Checkpoints {
    private static final Logger LOG = Logger.getLogger(Checkpoints.class);
    static final int MAX_PENDING = 256;
    static final long RETRY_MILLIS = 5_000;

    private final DetectionSettings settings;
    private final VigilMetrics metrics;
    private final String fingerprint;
    private final long interval;
    private final CheckpointStore store;
    private final CheckpointRetention retention;
    private final ScheduledExecutorService writer;
    /** The keys whose models are in memory: their checkpoints are never removed by the retention. */
    private volatile Supplier<Collection<String>> liveKeys = List::of;
    private volatile Set<String> liveFolders = Set.of();
    private volatile long liveFoldersAt;
    /** Snapshots taken but not yet on disk, by key. */
    private final Map<String, byte[]> pending = new ConcurrentHashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong restored = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** Keys whose newest snapshot failed to reach the disk: retried on their next batch. */
    private final Set<String> unsaved = ConcurrentHashMap.newKeySet();
    private volatile long lastWrittenAt;
    private volatile String lastFailure;
    private volatile long lastFailureAt;
    /** Epoch ms of the first failure since the last checkpoint written; 0 while checkpoints work. */
    private volatile long failingSince;

    /** A key's pipelines and grading as they were checkpointed. */
    public record Restored(String key, String[] schema, Pipeline pipeline, Pipeline fallback, KeyGrading grading,
            long learned) {

        /** What the registry counts for the restored key: the pipeline and its grading. */
        public long sizeInBytes() {
            return pipeline.sizeInBytes() + grading.sizeInBytes();
        }
    }

    @Inject
    public Checkpoints(VigilConfig config, DetectionSettings settings, VigilMetrics metrics) {
        this(settings, metrics, config.checkpoint().enabled() ? Path.of(config.checkpoint().dir()) : null,
                config.checkpoint().interval(), config.checkpoint().keep(), config.checkpoint().retention(),
                config.checkpoint().maxMb() * 1024 * 1024);
        metrics.counted("vigil.checkpoint.written", "Checkpoints written since start", written::get);
        metrics.counted("vigil.checkpoint.restored", "Keys restored from a checkpoint since start", restored::get);
        metrics.gaugeIn("vigil.checkpoint.age", "Time since the last checkpoint was written", "seconds",
                () -> lastWrittenAt == 0 ? -1 : (System.currentTimeMillis() - lastWrittenAt) / 1000.0);
    }

    public Checkpoints(DetectionSettings settings, VigilMetrics metrics, Path dir, long interval, int keep) {
        this(settings, metrics, dir, interval, keep, 0, Long.MAX_VALUE);
    }

    /** With the retention: {@code retentionSeconds} (0 keeps checkpoints for ever) and a budget of {@code maxBytes}. */
    public Checkpoints(DetectionSettings settings, VigilMetrics metrics, Path dir, long interval, int keep,
            long retentionSeconds, long maxBytes) {
        this.settings = settings;
        this.metrics = metrics;
        this.fingerprint = settings.spec().fingerprint() + " | fallback " + settings.fallback().fingerprint();
        this.interval = interval;
        this.store = dir == null ? null : open(dir, keep);
        this.retention = store == null ? null : new CheckpointRetention(store, retentionSeconds, maxBytes, metrics);
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-checkpoint");
            t.setDaemon(true);
            return t;
        });
        if (retention != null) {
            long every = retentionSeconds > 0 ? Math.max(1000, Math.min(3_600_000, retentionSeconds * 100)) : 3_600_000;
            writer.scheduleWithFixedDelay(this::sweep, 0, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Tells the retention which keys are live (their models in memory), so their checkpoints are kept whatever
     * their age: the entity registry calls this once.
     */
    public void liveKeys(Supplier<Collection<String>> live) {
        this.liveKeys = live;
    }

    /** Applies the retention now (on the writer thread, or on a caller writing itself); returns the keys removed. */
    int sweep() {
        if (retention == null) {
            return 0;
        }
        try {
            return retention.sweep(liveFolders());
        } catch (RuntimeException e) {
            LOG.warnf("Checkpoint retention sweep failed (tried again later): %s", e.toString());
            return 0;
        }
    }

    /**
     * The folders of the live keys, worked out at most once a second: over the budget a sweep follows every write,
     * and naming the folders hashes every live key. A key that became live within that second keeps its model in
     * memory anyway, and is checkpointed again when it leaves.
     */
    private Set<String> liveFolders() {
        long now = System.currentTimeMillis();
        if (now - liveFoldersAt >= 1000) {
            Set<String> folders = new HashSet<>();
            for (String key : liveKeys.get()) {
                folders.add(CheckpointStore.folderName(key));
            }
            liveFolders = folders;
            liveFoldersAt = now;
        }
        return liveFolders;
    }

    /**
     * The store over {@code dir}. A folder that cannot be used at start fails loudly like any checkpoint (counted,
     * shown in health and status) instead of turning checkpoints off: nothing is restored eagerly, and every
     * checkpoint tries the folder again, so the service recovers when the folder does.
     */
    private CheckpointStore open(Path dir, int keep) {
        try {
            return new CheckpointStore(dir, keep);
        } catch (IOException | RuntimeException e) {
            failed("folder " + dir.toAbsolutePath(), "open", e);
            return CheckpointStore.unopened(dir, keep);
        }
    }

    public boolean enabled() {
        return store != null;
    }

    /**
     * True when a key that has learned {@code sinceCheckpoint} points since its last snapshot is due a periodic
     * checkpoint, or a retry of one that did not reach the disk.
     */
    public boolean due(String key, long sinceCheckpoint) {
        return store != null && (sinceCheckpoint >= interval || retryDue(key));
    }

    private boolean retryDue(String key) {
        return !unsaved.isEmpty() && System.currentTimeMillis() - lastFailureAt >= RETRY_MILLIS
                && unsaved.contains(key);
    }

    /**
     * Takes a snapshot of {@code entity} now and writes it in the background; when the disk falls behind by
     * {@value #MAX_PENDING} snapshots, the caller writes it itself, so memory stays bounded and scoring slows to
     * the disk's pace instead.
     */
    public void save(Checkpointable owner) {
        byte[] bytes = snapshot(owner);
        if (bytes == null) {
            return;
        }
        String key = owner.key(); // the task must not hold on to the owner and its pipeline
        if (pending.size() >= MAX_PENDING) {
            pending.put(key, bytes);
            flush(key);
        } else if (pending.put(key, bytes) == null) {
            writer.execute(() -> flush(key));
        }
    }

    /**
     * Checkpoints {@code entities} and waits until they are on disk (and every snapshot queued before them):
     * at a rebalance, before another instance may read them. The writer keeps running.
     */
    public void saveAndWait(Collection<? extends Checkpointable> entities) {
        if (store == null || entities.isEmpty()) {
            return;
        }
        for (Checkpointable e : entities) {
            save(e);
        }
        try {
            // One writer thread, in order: once this no-op has run, every snapshot before it is written.
            writer.submit(() -> { }).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warnf("Checkpoints of %d released keys not confirmed on disk (%s); their new owner may restore older"
                    + " state", entities.size(), e.toString());
        }
    }

    /** Checkpoints every entity and waits until all are on disk: at shutdown. */
    public void saveAll(Collection<? extends Checkpointable> entities) {
        if (store == null) {
            return;
        }
        for (Checkpointable e : entities) {
            save(e);
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warnf("Checkpoints still being written after 60 s; %d keys may restore older state", pending.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.infof("Checkpointed %d keys to %s", entities.size(), store.dir().toAbsolutePath());
    }

    @PreDestroy
    void stop() {
        writer.shutdownNow();
    }

    private byte[] snapshot(Checkpointable owner) {
        if (store == null) {
            return null;
        }
        Checkpointable.KeyState state;
        try {
            state = owner.snapshot();
        } catch (IOException | RuntimeException ex) {
            unsaved.add(owner.key());
            failed("key '" + owner.key() + "'", "snapshot", ex);
            return null;
        }
        if (state == null) {
            return null;
        }
        return CheckpointCodec.encode(fingerprint, new CheckpointCodec.Snapshot(state.key(), state.schema(),
                state.learned(), System.currentTimeMillis(), state.pipeline(), state.fallback(), state.ranks(),
                state.grading()));
    }

    /**
     * Writes the pending snapshot of {@code key}, and again while a newer one arrived during the write: {@link #save}
     * queues no task for a key that still has a pending snapshot, so this task is the only one left to write it.
     */
    private void flush(String key) {
        byte[] bytes;
        while ((bytes = pending.get(key)) != null) {
            if (write(key, bytes)) {
                return;
            }
        }
    }

    /** Writes one snapshot; true when no newer one of the key is pending. */
    private boolean write(String key, byte[] bytes) {
        try {
            store.write(key, bytes);
            written.incrementAndGet();
            lastWrittenAt = System.currentTimeMillis();
            unsaved.remove(key);
            recovered();
            if (retention.overBudget()) {
                sweep();
            }
        } catch (IOException | RuntimeException e) {
            unsaved.add(key);
            failed("key '" + key + "'", "write", e);
        }
        return pending.remove(key, bytes);
    }

    /** A checkpoint written: if they were failing, they work again (health and status clear). */
    private synchronized void recovered() {
        if (failingSince != 0) {
            LOG.infof("Checkpoints are written to %s again (failing since %s; %d keys still to checkpoint again)",
                    store.dir().toAbsolutePath(), Instant.ofEpochMilli(failingSince), unsaved.size());
            failingSince = 0;
        }
    }

    /** A checkpoint that did not reach the disk: step open (the folder at start), snapshot or write. */
    private synchronized void failed(String what, String step, Exception e) {
        long n = failures.incrementAndGet();
        long now = System.currentTimeMillis();
        boolean first = failingSince == 0;
        lastFailure = step + " failed: " + e;
        lastFailureAt = now;
        if (first) {
            failingSince = now;
        }
        metrics.count("vigil.checkpoint.failures", "Checkpoints that failed, by step", "step", step);
        // One line per failure would flood the log when the disk is full: the first of an outage, then every 1,000th.
        if (first || n % 1000 == 0) {
            LOG.errorf("Checkpoint %s failed for %s (%d failures so far; scoring goes on): %s", step, what, n,
                    e.toString());
        }
    }

    /** A checkpoint that could not be read: counted, but it says nothing about whether writing works. */
    private void readFailed(String key, Exception e) {
        failures.incrementAndGet();
        lastFailure = "read failed: " + e;
        metrics.count("vigil.checkpoint.failures", "Checkpoints that failed, by step", "step", "read");
        LOG.warnf("Checkpoints of key '%s' cannot be listed (%s): the key starts fresh", key, e.toString());
    }

    /** The newest usable checkpoint of {@code key}, its pipelines restored; empty when there is none. */
    public Optional<Restored> load(String key) {
        return newest(key, true, this::restore);
    }

    /**
     * The feature names of {@code key}'s newest checkpoint that decodes, without restoring its pipelines (what
     * validating a point of a key not in memory needs; {@link #load} restores it when the point is scored, and
     * reports a file it refuses); empty when there is none.
     */
    public Optional<String[]> schema(String key) {
        return newest(key, false, (snapshot, source) -> Optional.of(snapshot.schema()));
    }

    /**
     * The first of {@code key}'s checkpoints, its pending snapshot then its files newest first, that decodes as this
     * key's and that {@code use} can use; {@code report}: count and log the files refused or unreadable.
     */
    private <T> Optional<T> newest(String key, boolean report, Usable<T> use) {
        if (store == null) {
            return Optional.empty();
        }
        byte[] inMemory = pending.get(key);
        if (inMemory != null) {
            String source = "the pending snapshot of " + key;
            Optional<T> r = decode(inMemory, source, report).flatMap(s -> use.from(s, source));
            if (r.isPresent()) {
                return r;
            }
        }
        if (!store.has(key)) {
            return Optional.empty();
        }
        try {
            // The folder name hashes the key; the key inside the file settles it.
            return firstUsable(store.newestFirst(key), key, report, use);
        } catch (IOException e) {
            if (report) {
                readFailed(key, e);
            }
            return Optional.empty();
        }
    }

    /** What a decoded checkpoint is used for: empty when it cannot be (its state refused). */
    private interface Usable<T> {
        Optional<T> from(CheckpointCodec.Snapshot snapshot, String source);
    }

    /**
     * Restores the most recently written keys, newest first, while {@code fits} says there is room (the key and
     * memory limits): before the sources start, so the first points of a busy key meet a warm model.
     */
    public List<Restored> restoreNewest(Predicate<Restored> fits) {
        List<Restored> result = new ArrayList<>();
        if (store == null) {
            return result;
        }
        try {
            for (Path newest : store.newestOfEveryKey()) {
                List<Path> candidates = new ArrayList<>();
                candidates.add(newest);
                candidates.addAll(store.olderThan(newest));
                Optional<Restored> r = firstUsable(candidates, null, true, this::restore);
                if (r.isPresent()) {
                    if (!fits.test(r.get())) {
                        break;
                    }
                    result.add(r.get());
                }
            }
        } catch (IOException e) {
            LOG.errorf("Checkpoint folder %s cannot be listed (%s): keys start fresh", store.dir(), e.toString());
        }
        return result;
    }

    /** The first of {@code files} that decodes, as {@code key}'s unless it is null, and that {@code use} can use. */
    private <T> Optional<T> firstUsable(List<Path> files, String key, boolean report, Usable<T> use) {
        for (Path f : files) {
            String source = f.toString();
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f);
            } catch (IOException e) {
                if (report) {
                    refuse(source, CheckpointCodec.Refusal.UNREADABLE, e.toString());
                }
                continue;
            }
            Optional<T> r = decode(bytes, source, report).filter(s -> key == null || s.key().equals(key))
                    .flatMap(s -> use.from(s, source));
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    private Optional<CheckpointCodec.Snapshot> decode(byte[] bytes, String source, boolean report) {
        try {
            return Optional.of(CheckpointCodec.decode(bytes, fingerprint));
        } catch (CheckpointCodec.RefusedException e) {
            if (report) {
                refuse(source, e.refusal, e.getMessage());
            }
            return Optional.empty();
        }
    }

    private Optional<Restored> restore(CheckpointCodec.Snapshot s, String source) {
        Pipeline pipeline = settings.spec().newPipeline(s.schema().length);
        Pipeline fallback = settings.fallback().newPipeline(s.schema().length);
        try {
            Checkpointable.PIPELINE_FORMAT.read(new DataInputStream(new ByteArrayInputStream(s.pipeline())), pipeline);
            if (s.fallback().length > 0) {
                Checkpointable.PIPELINE_FORMAT.read(new DataInputStream(new ByteArrayInputStream(s.fallback())),
                        fallback);
            }
        } catch (IOException | RuntimeException e) {
            refuse(source, CheckpointCodec.Refusal.STATE, e.toString());
            return Optional.empty();
        }
        restored.incrementAndGet();
        KeyGrading grading = settings.newGrading(ranks(s.ranks(), source), s.schema().length);
        if (!restoreGrading(grading, s.grading(), source)) {
            grading.assumeGraded(s.learned());
        }
        return Optional.of(new Restored(s.key(), s.schema(), pipeline, fallback, grading, s.learned()));
    }

    /**
     * The key's score ranks, fresh when the file has none or they do not fit this configuration's window: ranks
     * only grade, so they never cost a key its model.
     */
    private ScoreRanks ranks(byte[] state, String source) {
        ScoreRanks ranks = new ScoreRanks(settings.rarityWindow());
        if (state.length == 0) {
            return ranks;
        }
        try {
            Checkpointable.RANKS_FORMAT.read(new DataInputStream(new ByteArrayInputStream(state)), ranks);
            return ranks;
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Score ranks in %s not used, they start afresh: %s", source, e.getMessage());
            return new ScoreRanks(settings.rarityWindow());
        }
    }

    /**
     * Reads the rest of the key's grading (likelihood, range, event); false when the file has none (format
     * versions 1 and 2) or it does not fit this configuration's severity mode: then the key's grading counts its
     * learned points as graded, so a key that was warm stays warm.
     */
    private static boolean restoreGrading(KeyGrading grading, byte[] state, String source) {
        if (state.length == 0) {
            return false;
        }
        try {
            Checkpointable.GRADING_FORMAT.read(new DataInputStream(new ByteArrayInputStream(state)), grading);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Grading state in %s not used, it starts afresh: %s", source, e.getMessage());
            return false;
        }
    }

    private void refuse(String source, CheckpointCodec.Refusal refusal, String why) {
        metrics.count("vigil.checkpoint.refused", "Checkpoints refused at restore, by reason", "reason", refusal.label);
        // After a configuration change every key's files are refused: the first ten in full, then a count.
        long n = refused.incrementAndGet();
        if (n <= 10) {
            LOG.warnf("Checkpoint %s refused (%s): %s; trying the one before", source, refusal.label, why);
        } else if (n % 1000 == 0) {
            LOG.warnf("%d checkpoints refused so far (vigil_checkpoint_refused_total has the reasons)", n);
        }
    }

    public long written() {
        return written.get();
    }

    public long restored() {
        return restored.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Epoch ms of the last checkpoint written, 0 if none yet. */
    public long lastWrittenAt() {
        return lastWrittenAt;
    }

    /** The last failure, for the status endpoint; null if none. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Epoch ms of the first failure since the last checkpoint written; 0 while checkpoints work. */
    public long failingSince() {
        return failingSince;
    }

    /** Keys whose newest snapshot is not on disk because writing it failed. */
    public int unsavedKeys() {
        return unsaved.size();
    }

    /** Whether the newest snapshot of {@code key} failed to reach the disk (it is to be written again). */
    public boolean isUnsaved(String key) {
        return unsaved.contains(key);
    }
}
