package dev.vigil.camel.source.broker;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets whose commit Kafka refused because the group was rebalancing ({@code RebalanceInProgressException}),
 * although their batch was routed. Left alone, the partition's next owner would read that batch again; instead
 * {@link PartitionHandover} commits them in the revocation callback of the same rebalance, the one moment the
 * consumer may still commit for the partitions it is giving up, or, for those refused after it, when the rebalance
 * ends (the assignment callback), for the partitions it keeps. A later successful commit of a partition
 * supersedes its refused one. Shared by the consumer threads ({@code vigil.kafka.consumers}), each taking only
 * the partitions it owns.
 */
@ApplicationScoped
public class RefusedCommits {
    /** The next offset to read, per partition, as a commit would have stored it. */
    private final Map<TopicPartition, Long> pending = new HashMap<>();

    /** The commit of {@code nextOffset} for {@code partition} was refused during a rebalance. */
    public synchronized void refused(TopicPartition partition, long nextOffset) {
        pending.merge(partition, nextOffset, Math::max);
    }

    /** {@code nextOffset} was committed for {@code partition}: a refused commit at or below it is moot. */
    public synchronized void committed(TopicPartition partition, long nextOffset) {
        pending.computeIfPresent(partition, (p, refused) -> refused <= nextOffset ? null : refused);
    }

    /**
     * Takes the refused commits of {@code owned}, to be committed now by the consumer that still owns those
     * partitions; another consumer thread's partitions are left for it (it may not commit them).
     */
    public synchronized Map<TopicPartition, OffsetAndMetadata> take(Collection<TopicPartition> owned) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition p : owned) {
            Long offset = pending.remove(p);
            if (offset != null) {
                offsets.put(p, new OffsetAndMetadata(offset));
            }
        }
        return offsets;
    }

    /** Forgets the refused commits of partitions this consumer lost without a revocation: it may no longer commit. */
    public synchronized void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(pending::remove);
    }

    public synchronized int size() {
        return pending.size();
    }
}
