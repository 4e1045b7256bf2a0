package dev.vigil.service.checkpoint;

import dev.vigil.service.monitor.VigilMetrics;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps the checkpoint folder bounded. Every key ever seen leaves a folder behind, so without this a stream of new
 * keys fills the volume. Two rules, applied by {@link #sweep}, to the folders of keys that are not live (a live key's
 * model is in memory and is checkpointed again on eviction and at shutdown, so its folder is never removed here):
 * <ul>
 * <li>a key not seen for {@code vigil.checkpoint.retention} seconds loses its checkpoints ({@code expired}): a
 * key leaves memory only through eviction, which checkpoints it, so its newest checkpoint is when it was last
 * seen;</li>
 * <li>while the folder holds more than {@code vigil.checkpoint.max-mb}, the keys not seen for longest lose theirs
 * ({@code budget}).</li>
 * </ul>
 * A key whose checkpoints were removed starts afresh if it comes back. Gauges {@code vigil_checkpoint_disk_bytes},
 * {@code vigil_checkpoint_disk_budget_bytes} and {@code vigil_checkpoint_keys_stored}; counter
 * {@code vigil_checkpoint_removed_total{reason}}.
 */
final class CheckpointRetention {
    private static final Logger LOG = Logger.getLogger(CheckpointRetention.class);

    private final CheckpointStore store;
    private final long retentionMillis;
    private final long maxBytes;
    private final VigilMetrics metrics;
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong overBudget = new AtomicLong();
    private static final long LOG_EVERY_MILLIS = 60_000;
    private boolean warnedLiveOverBudget;
    /** Keys removed since the last log line, and when that was (guarded by this). */
    private long unlogged;
    private long loggedAt;

    CheckpointRetention(CheckpointStore store, long retentionSeconds, long maxBytes, VigilMetrics metrics) {
        this.store = store;
        this.retentionMillis = retentionSeconds * 1000;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
        metrics.gaugeIn("vigil.checkpoint.disk", "Bytes of checkpoint files on disk", "bytes", store::totalBytes);
        metrics.gaugeIn("vigil.checkpoint.disk.budget", "Most bytes of checkpoint files (vigil.checkpoint.max-mb)",
                "bytes", () -> maxBytes);
        metrics.gauge("vigil.checkpoint.keys.stored", "Keys with checkpoints on disk", store::keys);
    }

    /** Whether the folder is over its budget now: a sweep is due without waiting for the next period. */
    boolean overBudget() {
        return store.totalBytes() > maxBytes;
    }

    /**
     * Removes what the rules say, sparing the folders in {@code live}; returns how many keys lost their checkpoints.
     * Cheap enough to follow every checkpoint written while the folder is over its budget: it walks the folders oldest
     * first and stops at the first that is neither expired nor needed for the budget, so it looks at the live keys'
     * folders and the ones it removes.
     */
    synchronized int sweep(Set<String> live) {
        long now = System.currentTimeMillis();
        long expiredBefore = retentionMillis > 0 ? CheckpointStore.sequenceAt(now - retentionMillis) : Long.MIN_VALUE;
        // A folder written after the sweep began belongs to a key seen meanwhile: never removed by this sweep.
        long sweepBegan = CheckpointStore.sequenceAt(now);
        int removed = 0;
        boolean onlyLiveLeft = true;
        for (CheckpointStore.Written folder : store.oldestFirst()) {
            boolean expire = folder.sequence() < expiredBefore;
            if (!expire && !overBudget()) {
                onlyLiveLeft = false;
                break; // oldest first: nothing after this one is expired either
            }
            if (folder.sequence() >= sweepBegan) {
                onlyLiveLeft = false;
                break;
            }
            if (!live.contains(folder.folder())
                    && remove(folder.folder(), expire ? expiredBefore : sweepBegan, expire ? expired : overBudget)) {
                removed++;
            }
        }
        boolean liveOverBudget = onlyLiveLeft && overBudget();
        if (liveOverBudget && !warnedLiveOverBudget) {
            LOG.warnf("The checkpoints of live keys alone hold %d bytes, over vigil.checkpoint.max-mb (%d bytes); "
                    + "they are kept (raise the budget, or lower vigil.keys.max)", store.totalBytes(), maxBytes);
        }
        warnedLiveOverBudget = liveOverBudget;
        unlogged += removed;
        // One line a minute at most: over the budget, a sweep follows every checkpoint written.
        if (unlogged > 0 && now - loggedAt >= LOG_EVERY_MILLIS) {
            LOG.infof("Checkpoints of %d keys removed; since start %d not seen for %d s, %d beyond the budget of %d "
                    + "bytes; %d keys and %d bytes remain", unlogged, expired.get(), retentionMillis / 1000,
                    overBudget.get(), maxBytes, store.keys(), store.totalBytes());
            unlogged = 0;
            loggedAt = now;
        }
        return removed;
    }

    private boolean remove(String folder, long writtenBefore, AtomicLong reason) {
        try {
            if (!store.remove(folder, writtenBefore)) {
                return false;
            }
        } catch (IOException e) {
            LOG.warnf("Cannot remove the checkpoints in %s (%s); tried again at the next sweep", folder, e.toString());
            return false;
        }
        reason.incrementAndGet();
        metrics.count("vigil.checkpoint.removed", "Keys whose checkpoints were removed, by reason", "reason",
                reason == expired ? "expired" : "budget");
        return true;
    }
}
