package dev.vigil.service.entity;

import dev.vigil.service.config.VigilConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which broker partitions this instance owns, and which entity keys arrived from which of them, so that a
 * rebalance can hand exactly those keys over (checkpoint and let go). A partition is a name
 * ({@code topic-3}), so this class knows nothing of Kafka.
 *
 * <p>Per key only the last partition seen is kept, in least recently seen order and bounded like the registry
 * ({@code vigil.keys.max}): a key forgotten here has long been evicted from the registry too, with its
 * checkpoint. A partition's revocation time is kept so that records polled before it, still waiting in the
 * consumer's batch, can be recognised and left to the new owner.
 */
@ApplicationScoped
public class PartitionOwnership {
    private final int maxKeys;
    private final LinkedHashMap<String, String> partitionOfKey = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<String, Set<String>> keysOfPartition = new HashMap<>();
    private final Set<String> owned = new HashSet<>();
    /** Read for every record without the lock: a concurrent map. */
    private final Map<String, Long> revokedAt = new ConcurrentHashMap<>();

    @Inject
    public PartitionOwnership(VigilConfig config) {
        this(config.keys().max());
    }

    public PartitionOwnership(int maxKeys) {
        this.maxKeys = Math.max(1, maxKeys);
    }

    /** Partitions newly assigned to this instance. */
    public synchronized void assigned(Collection<String> partitions) {
        owned.addAll(partitions);
    }

    /**
     * Partitions taken away (revoked or lost) at {@code nowMillis}: returns the keys last seen on them, which
     * this instance must now let go of, and forgets them.
     */
    public synchronized List<String> revoked(Collection<String> partitions, long nowMillis) {
        List<String> keys = new ArrayList<>();
        for (String p : partitions) {
            owned.remove(p);
            revokedAt.put(p, nowMillis);
            Set<String> ks = keysOfPartition.remove(p);
            if (ks != null) {
                keys.addAll(ks);
                ks.forEach(partitionOfKey::remove);
            }
        }
        return keys;
    }

    /**
     * True when a record of {@code partition} polled at {@code polledAtMillis} was taken before the partition
     * was last revoked: the new owner reads it again from the committed offset. Same millisecond counts as
     * after (a duplicate rather than a loss).
     */
    public boolean polledBeforeRevocation(String partition, long polledAtMillis) {
        Long at = revokedAt.get(partition);
        return at != null && polledAtMillis < at;
    }

    /** Records that {@code keys} arrived from {@code partition}: a batch's run of that partition, under one lock. */
    public synchronized void seen(Collection<String> keys, String partition) {
        for (String key : keys) {
            seen(key, partition);
        }
    }

    private void seen(String key, String partition) {
        String before = partitionOfKey.put(key, partition);
        if (partition.equals(before)) {
            return;
        }
        if (before != null) {
            removeKey(before, key);
        }
        keysOfPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(key);
        Iterator<Map.Entry<String, String>> eldest = partitionOfKey.entrySet().iterator();
        while (partitionOfKey.size() > maxKeys && eldest.hasNext()) {
            Map.Entry<String, String> e = eldest.next();
            eldest.remove();
            removeKey(e.getValue(), e.getKey());
        }
    }

    private void removeKey(String partition, String key) {
        Set<String> ks = keysOfPartition.get(partition);
        if (ks != null && ks.remove(key) && ks.isEmpty()) {
            keysOfPartition.remove(partition);
        }
    }

    public synchronized Set<String> owned() {
        return Set.copyOf(owned);
    }

    /** Keys currently tracked, for tests and the status. */
    public synchronized int trackedKeys() {
        return partitionOfKey.size();
    }
}
