package dev.vigil.camel.source.broker;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets of routed batches whose commit Kafka has not confirmed yet. A batch's offsets are committed without
 * waiting for the broker's answer ({@link MessagePoints#commitKafka}), so they stay here until it comes: a commit
 * that fails (Kafka refuses commits while the group rebalances) is sent again with the consumer's next commit, and
 * {@link PartitionHandover} commits what is left, and waits, in the revocation callback of a rebalance (the one
 * moment the consumer may still commit for the partitions it is giving up) and at its end (the assignment
 * callback) for the partitions it keeps. Left alone, a partition's next owner would read those batches again. A
 * confirmed commit of a partition supersedes every lower offset. Shared by the consumer threads
 * ({@code vigil.kafka.consumers}), each taking only the partitions it owns.
 */
@ApplicationScoped
public class PendingCommits {
    /** The next offset to read, per partition, as a commit stores it. */
    private final Map<TopicPartition, Long> pending = new HashMap<>();

    /** The batch ending before {@code nextOffset} of {@code partition} was routed; its commit is on its way. */
    public synchronized void routed(TopicPartition partition, long nextOffset) {
        pending.merge(partition, nextOffset, Math::max);
    }

    /** Kafka confirmed the commit of {@code nextOffset} for {@code partition}: a pending offset at or below it is moot. */
    public synchronized void committed(TopicPartition partition, long nextOffset) {
        pending.computeIfPresent(partition, (p, routed) -> routed <= nextOffset ? null : routed);
    }

    /** The pending offsets of {@code owned}, to be committed (again) by the consumer that owns those partitions. */
    public synchronized Map<TopicPartition, OffsetAndMetadata> of(Collection<TopicPartition> owned) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition p : owned) {
            Long offset = pending.get(p);
            if (offset != null) {
                offsets.put(p, new OffsetAndMetadata(offset));
            }
        }
        return offsets;
    }

    /**
     * Takes the pending offsets of {@code owned}, to be committed now by the consumer that still owns those
     * partitions; another consumer thread's partitions are left for it (it may not commit them).
     */
    public synchronized Map<TopicPartition, OffsetAndMetadata> take(Collection<TopicPartition> owned) {
        Map<TopicPartition, OffsetAndMetadata> offsets = of(owned);
        offsets.keySet().forEach(pending::remove);
        return offsets;
    }

    /** Forgets the offsets of partitions this consumer lost without a revocation: it may no longer commit them. */
    public synchronized void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(pending::remove);
    }

    public synchronized int size() {
        return pending.size();
    }
}
