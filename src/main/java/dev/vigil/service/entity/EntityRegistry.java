package dev.vigil.service.entity;

import dev.vigil.detect.grade.SustainedRise;
import dev.vigil.detect.grade.KeyGrading;
import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.service.checkpoint.Checkpointable;
import dev.vigil.service.checkpoint.Checkpoints;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.Schema;
import dev.vigil.service.point.Schemas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link Entity} per entity key (a sensor, a client): its schema, its pipeline and its fallback, created on
 * first sight, or restored from its checkpoint when it has one. Bounded twice: by {@code vigil.keys.max} keys and
 * by the {@code vigil.memory.max-mb} budget over the pipelines' own size estimates. The entity evicted is the less used
 * of the newest and the oldest in memory ({@link ResidentEntities}), checkpointed on its way out so that it resumes
 * when its key comes back.
 *
 * <p>Checkpoint files are read outside this registry's lock, so a slow disk never stalls the other keys. An
 * evicted entity waits in {@link #evicting} until its snapshot is taken; a key that comes back meanwhile simply
 * gets it back.
 */
@ApplicationScoped
public class EntityRegistry implements Schemas {
    private final ResidentEntities entities;
    private final Map<String, Entity> evicting = new HashMap<>();
    private final int maxKeys;
    private final long budgetBytes;
    private final Checkpoints checkpoints;
    private long usedBytes;
    private final AtomicLong evictions = new AtomicLong();

    @Inject
    public EntityRegistry(VigilConfig config, Checkpoints checkpoints, VigilMetrics metrics) {
        this(config.keys().max(), config.memory().maxMb()
                .map(mb -> mb * 1024L * 1024L)
                .orElse(Runtime.getRuntime().maxMemory() / 4), checkpoints);
        metrics.gauge("vigil.entities", "Entity keys with a live pipeline", this::size);
        metrics.gaugeIn("vigil.model.memory", "Estimated memory of all pipelines", "bytes", this::usedBytes);
        metrics.gaugeIn("vigil.model.memory.budget", "Memory budget of all pipelines", "bytes", this::budgetBytes);
        metrics.counted("vigil.entities.evicted", "Entities evicted to stay within the limits", this::evictions);
    }

    public EntityRegistry(int maxKeys, long budgetBytes) {
        this(maxKeys, budgetBytes, null);
    }

    public EntityRegistry(int maxKeys, long budgetBytes, Checkpoints checkpoints) {
        this.maxKeys = maxKeys;
        this.budgetBytes = budgetBytes;
        this.entities = new ResidentEntities(maxKeys);
        this.checkpoints = checkpoints != null && checkpoints.enabled() ? checkpoints : null;
        if (this.checkpoints != null) {
            this.checkpoints.liveKeys(this::liveKeys);
        }
    }

    /** The keys with a model in memory, including those on their way out. */
    private synchronized List<String> liveKeys() {
        List<String> keys = new ArrayList<>(entities.size() + evicting.size());
        entities.entities().forEach(e -> keys.add(e.key));
        keys.addAll(evicting.keySet());
        return keys;
    }

    /**
     * Whether {@code e} has state its checkpoint on disk lacks: it learned since its last snapshot, or that snapshot
     * failed to reach the disk. A key restored and never used since is not written again, so its checkpoint keeps the
     * time the key was last seen, which is what the checkpoint retention goes by.
     */
    private boolean needsCheckpoint(Entity e) {
        synchronized (e) {
            if (e.pipeline == null) {
                return false;
            }
            if (e.sinceCheckpoint > 0) {
                return true;
            }
        }
        return checkpoints.isUnsaved(e.key);
    }

    /**
     * The state of one entity. Its pipeline and counters are guarded by the entity itself, its fallback by
     * {@link #fallbackLock}.
     */
    public static final class Entity implements Checkpointable {
        final String key;
        final Schema schema;
        final Object fallbackLock = new Object();
        Pipeline pipeline;
        Pipeline fallback;
        /** Warm-up, rarity, likelihood and events of the pipeline's scores (guarded by the entity). */
        KeyGrading grading;
        /** The pipeline's size as the registry counts it (guarded by the registry). */
        long bytes;
        /** The pipeline's size as last reported to the registry (guarded by the entity). */
        long reportedBytes;
        /** Points the pipeline has learned, over the entity's whole life (across restarts). */
        long learned;
        long sinceCheckpoint;
        /** Drift test over the pipeline's scores (guarded by the entity); not checkpointed, restarts after a restore. */
        SustainedRise drift;
        /** When drift of this key was last alerted, epoch ms (guarded by the entity). */
        long driftAlertedAt = Long.MIN_VALUE;

        Entity(String key, Schema schema) {
            this.key = key;
            this.schema = schema;
        }

        private static Entity restored(String key, Checkpoints.Restored r) {
            Entity e = new Entity(key, new Schema(r.schema()));
            e.pipeline = r.pipeline();
            e.fallback = r.fallback();
            e.grading = r.grading();
            e.learned = r.learned();
            e.bytes = r.sizeInBytes();
            e.reportedBytes = e.bytes;
            return e;
        }

        @Override
        public String key() {
            return key;
        }

        /** Counts {@code points} learned; true when a checkpoint of this entity is due (guarded by the entity). */
        boolean learned(int points, Checkpoints checkpoints) {
            learned += points;
            sinceCheckpoint += points;
            return checkpoints.due(key, sinceCheckpoint);
        }

        @Override
        public KeyState snapshot() throws IOException {
            byte[] pipelineState;
            byte[] ranksState;
            byte[] gradingState;
            long learnedNow;
            synchronized (this) {
                if (pipeline == null) {
                    return null;
                }
                pipelineState = Checkpointable.bytesOf(pipeline);
                ranksState = grading == null ? new byte[0] : Checkpointable.bytesOf(grading.ranks());
                gradingState = Checkpointable.bytesOf(grading);
                learnedNow = learned;
                sinceCheckpoint = 0;
            }
            byte[] fallbackState;
            synchronized (fallbackLock) {
                fallbackState = Checkpointable.bytesOf(fallback);
            }
            return new KeyState(key, schema.names(), learnedNow, pipelineState, fallbackState, ranksState,
                    gradingState);
        }

        public Schema schema() {
            return schema;
        }

        /** Points the pipeline has learned over the entity's whole life (across restarts). */
        public synchronized long learned() {
            return learned;
        }
    }

    /**
     * The schema of {@code key}: its checkpointed one, or {@code names} if the key is new; never replaced here. A key
     * in memory or new gets its entity (a new one here, so that later points keep its first names); a key with only a
     * checkpoint is not restored for this, only read: the scoring of its points restores it, and restoring it twice,
     * here and there, cost a second eviction whenever the keys outnumber the memory.
     */
    @Override
    public Schema of(String key, String[] names) {
        boolean beingEvicted;
        synchronized (this) {
            Entity e = entities.get(key);
            if (e != null) {
                return e.schema; // the usual case, in one look-up
            }
            beingEvicted = evicting.containsKey(key);
        }
        if (checkpoints != null && !beingEvicted) {
            Optional<String[]> saved = checkpoints.schema(key);
            if (saved.isPresent()) {
                return new Schema(saved.get());
            }
        }
        return entityFor(key, names, false).schema;
    }

    /**
     * The entity of {@code key} for points validated against the schema {@code names}. A new key gets
     * {@code names} as its schema; so does a key whose entity was evicted and re-created with other names between
     * validation and detection (the points' schema wins, since their values are ordered by it).
     */
    public Entity entity(String key, String[] names) {
        return entityFor(key, names, true);
    }

    private Entity entityFor(String key, String[] names, boolean namesMustMatch) {
        List<Entity> evicted = new ArrayList<>();
        try {
            synchronized (this) {
                Entity e = live(key, evicted);
                if (e != null && (!namesMustMatch || sameNames(e.schema.names(), names))) {
                    return e;
                }
            }
            Optional<Checkpoints.Restored> restored = checkpoints == null ? Optional.empty() : checkpoints.load(key);
            synchronized (this) {
                Entity e = live(key, evicted);
                if (e != null && (!namesMustMatch || sameNames(e.schema.names(), names))) {
                    return e;
                }
                if (e != null) {
                    entities.remove(key);
                    usedBytes -= e.bytes;
                }
                Entity created = restored.filter(r -> !namesMustMatch || sameNames(r.schema(), names))
                        .map(r -> Entity.restored(key, r)).orElseGet(() -> new Entity(key, new Schema(names)));
                entities.add(created);
                usedBytes += created.bytes;
                evicted.addAll(evictBeyondLimits());
                return created;
            }
        } finally {
            checkpointEvicted(evicted);
        }
    }

    /** The live entity of {@code key}, taking it back from {@link #evicting} if it is on its way out. */
    private Entity live(String key, List<Entity> evicted) {
        Entity e = entities.get(key);
        if (e == null && (e = evicting.remove(key)) != null) {
            entities.add(e);
            usedBytes += e.bytes;
            evicted.addAll(evictBeyondLimits());
        }
        return e;
    }

    private static boolean sameNames(String[] a, String[] b) {
        return a == b || Arrays.equals(a, b);
    }

    /**
     * Records that {@code entity}'s pipeline changed size by {@code delta} bytes: it was just built, or its windows
     * and trees grew as it learned. Evicts others if the budget is exceeded. A difference rather than a size, so
     * that two batches of one key that report in the other order still add up. Call it without holding the
     * entity's lock: eviction checkpoints other entities under theirs.
     */
    void pipelineResized(Entity entity, long delta) {
        if (delta == 0) {
            return;
        }
        List<Entity> evicted = List.of();
        synchronized (this) {
            entity.bytes += delta;
            if (entities.get(entity.key) == entity) {
                usedBytes += delta;
                evicted = evictBeyondLimits();
            }
        }
        checkpointEvicted(evicted);
    }

    /** Evicts {@code share} of the keys (memory pressure), in eviction order, checkpointing them. */
    public void shed(double share) {
        List<Entity> evicted = new ArrayList<>();
        synchronized (this) {
            int n = (int) Math.ceil(entities.size() * share);
            while (n-- > 0 && entities.size() > 1) {
                evicted.add(evictNext());
            }
        }
        checkpointEvicted(evicted);
    }

    private List<Entity> evictBeyondLimits() {
        List<Entity> evicted = new ArrayList<>(1);
        while (entities.size() > 1 && (entities.size() > maxKeys || usedBytes > budgetBytes)) {
            evicted.add(evictNext());
        }
        return evicted;
    }

    private Entity evictNext() {
        Entity e = entities.evict();
        usedBytes -= e.bytes;
        evictions.incrementAndGet();
        if (checkpoints != null && e.pipeline != null) {
            evicting.put(e.key, e);
        }
        return e;
    }

    /** Outside the registry lock: snapshots each evicted entity (under its own locks), then lets it go. */
    private void checkpointEvicted(List<Entity> evicted) {
        if (checkpoints == null || evicted.isEmpty()) {
            return;
        }
        for (Entity e : evicted) {
            if (needsCheckpoint(e)) {
                checkpoints.save(e);
            }
            synchronized (this) {
                evicting.remove(e.key, e);
            }
        }
    }

    /**
     * Restores the most recently checkpointed keys while they fit within the key and memory limits, before the
     * sources start; returns how many.
     */
    public int restoreAtStart() {
        if (checkpoints == null) {
            return 0;
        }
        return checkpoints.restoreNewest(r -> {
            synchronized (this) {
                long bytes = r.sizeInBytes();
                if (entities.size() >= maxKeys || usedBytes + bytes > budgetBytes) {
                    return false;
                }
                String key = r.key();
                if (!entities.contains(key)) {
                    Entity e = Entity.restored(key, r);
                    entities.add(e);
                    usedBytes += e.bytes;
                }
                return true;
            }
        }).size();
    }

    /**
     * Lets go of {@code keys}: another instance owns them now (a rebalance). With {@code checkpoint}, each live
     * one is checkpointed first and this returns once the files are on disk, so the new owner restores this
     * state; without (the partitions were lost, the new owner may already have written newer state), they are
     * dropped. Returns how many were live. Call it when no batch of these keys is in flight.
     */
    public int release(Collection<String> keys, boolean checkpoint) {
        List<Entity> released = new ArrayList<>();
        synchronized (this) {
            for (String key : keys) {
                Entity e = entities.remove(key);
                if (e != null) {
                    usedBytes -= e.bytes;
                } else {
                    e = evicting.remove(key);
                }
                if (e != null) {
                    released.add(e);
                }
            }
        }
        if (checkpoint && checkpoints != null) {
            checkpoints.saveAndWait(released);
        }
        return released.size();
    }

    /** Checkpoints every live entity and waits for the files: at shutdown, after the sources have stopped. */
    public void checkpointAll() {
        if (checkpoints != null) {
            List<Entity> all;
            synchronized (this) {
                all = entities.entities();
                all.addAll(evicting.values());
            }
            all.removeIf(e -> !needsCheckpoint(e));
            checkpoints.saveAll(all);
        }
    }

    public synchronized int size() {
        return entities.size();
    }

    /** Sum of the pipelines' size estimates, in bytes. */
    public synchronized long usedBytes() {
        return usedBytes;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    public long evictions() {
        return evictions.get();
    }
}
