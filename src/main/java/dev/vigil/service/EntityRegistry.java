package dev.vigil.service;

import dev.vigil.detect.Pipeline;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link Entity} per entity key (a sensor, a client): its schema, its pipeline and its fallback, created on
 * first sight. Bounded twice: by {@code vigil.keys.max} keys and by the {@code vigil.memory.max-mb} budget over
 * the pipelines' own size estimates; the least recently used entity is evicted first.
 */
@ApplicationScoped
public class EntityRegistry {
    private final LinkedHashMap<String, Entity> entities = new LinkedHashMap<>(64, 0.75f, true);
    private final int maxKeys;
    private final long budgetBytes;
    private long usedBytes;
    private final AtomicLong evictions = new AtomicLong();

    @Inject
    public EntityRegistry(VigilConfig config) {
        this(config.keys().max(), config.memory().maxMb()
                .map(mb -> mb * 1024L * 1024L)
                .orElse(Runtime.getRuntime().maxMemory() / 4));
    }

    EntityRegistry(int maxKeys, long budgetBytes) {
        this.maxKeys = maxKeys;
        this.budgetBytes = budgetBytes;
    }

    /** The state of one entity. Its pipeline is guarded by the entity itself, its fallback by {@link #fallbackLock}. */
    public static final class Entity {
        final String key;
        final Schema schema;
        final Object fallbackLock = new Object();
        Pipeline pipeline;
        Pipeline fallback;
        long bytes;

        Entity(String key, Schema schema) {
            this.key = key;
            this.schema = schema;
        }

        public String key() {
            return key;
        }

        public Schema schema() {
            return schema;
        }
    }

    /** The schema of {@code key}, fixed to {@code names} if the key is new; never replaced here. */
    public synchronized Schema schema(String key, String[] names) {
        Entity e = entities.get(key);
        if (e == null) {
            e = new Entity(key, new Schema(names));
            entities.put(key, e);
            evictBeyondLimits();
        }
        return e.schema;
    }

    /**
     * The entity of {@code key} for points validated against the schema {@code names}. A new key gets
     * {@code names} as its schema; so does a key whose entity was evicted and re-created with other names between
     * validation and detection (the points' schema wins, since their values are ordered by it).
     */
    public synchronized Entity entity(String key, String[] names) {
        Entity e = entities.get(key);
        if (e == null || (e.schema.names() != names && !Arrays.equals(e.schema.names(), names))) {
            if (e != null) {
                usedBytes -= e.bytes;
            }
            e = new Entity(key, new Schema(names));
            entities.put(key, e);
            evictBeyondLimits();
        }
        return e;
    }

    /** Records the size of a pipeline just built for {@code entity}, evicting others if the budget is exceeded. */
    synchronized void accountPipeline(Entity entity, long bytes) {
        if (entities.get(entity.key) == entity) {
            entity.bytes = bytes;
            usedBytes += bytes;
            evictBeyondLimits();
        }
    }

    private void evictBeyondLimits() {
        Iterator<Map.Entry<String, Entity>> eldest = entities.entrySet().iterator();
        while (eldest.hasNext() && entities.size() > 1 && (entities.size() > maxKeys || usedBytes > budgetBytes)) {
            Entity e = eldest.next().getValue();
            usedBytes -= e.bytes;
            eldest.remove();
            evictions.incrementAndGet();
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
