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
 * consumer may still commit for the partitions it is giving up. A later successful commit of a partition
 * supersedes its refused one. Used only on the Kafka consumer's thread; synchronized for safety all the same.
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

    /** Takes every refused commit, to be committed now, while this consumer still owns the partitions. */
    public synchronized Map<TopicPartition, OffsetAndMetadata> takeAll() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        pending.forEach((p, offset) -> offsets.put(p, new OffsetAndMetadata(offset)));
        pending.clear();
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
