package dev.vigil.camel.source.broker;

import dev.vigil.service.entity.EntityRegistry;
import dev.vigil.service.entity.PartitionOwnership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Hands entity keys over between instances when the consumer group rebalances. camel-kafka looks this bean up
 * by the name {@code subscribeAdapter} when its consumer subscribes; it subscribes as camel-kafka would, with
 * Camel's own rebalance listener wrapped in one that:
 * <ul>
 * <li>on revocation (a rebalance, or this consumer leaving the group at shutdown) checkpoints the keys last seen
 * on the revoked partitions, waits for the files, and drops them from memory, before the partitions can be
 * assigned elsewhere. The listener runs on the consumer thread inside {@code poll}, after the previous batch has
 * been routed and its commit sent, so no batch of this consumer is in flight. It then commits, and waits for, the
 * offsets Kafka has not confirmed ({@link PendingCommits}: commits on their way, or refused while the group was
 * rebalancing): their batches were routed, and committed here they are not read again by the partitions' new
 * owners;</li>
 * <li>on loss (this member was thrown out, e.g. its session expired) drops them without a checkpoint: another
 * member may already own them and have written newer state; their pending commits are forgotten (at-least-once:
 * the new owner reads those batches again);</li>
 * <li>on assignment records the partitions; their keys are restored from the shared checkpoint folder on their
 * first point, as any key is.</li>
 * </ul>
 */
@ApplicationScoped
@Named("subscribeAdapter")
public class PartitionHandover implements SubscribeAdapter {
    private static final Logger LOG = Logger.getLogger(PartitionHandover.class);

    private final PartitionOwnership ownership;
    private final EntityRegistry entities;
    private final PendingCommits pendingCommits;

    @Inject
    public PartitionHandover(PartitionOwnership ownership, EntityRegistry entities, PendingCommits pendingCommits) {
        this.ownership = ownership;
        this.entities = entities;
        this.pendingCommits = pendingCommits;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener, TopicInfo topicInfo) {
        ConsumerRebalanceListener listener = new Listener(consumer, camelListener);
        if (topicInfo.isPattern()) {
            consumer.subscribe(topicInfo.getPattern(), listener);
        } else {
            consumer.subscribe(topicInfo.getTopics(), listener);
        }
    }

    static String name(TopicPartition p) {
        return p.toString();
    }

    private static List<String> names(Collection<TopicPartition> partitions) {
        return partitions.stream().map(PartitionHandover::name).toList();
    }

    private final class Listener implements ConsumerRebalanceListener {
        private final Consumer<?, ?> consumer;
        private final ConsumerRebalanceListener camel;

        Listener(Consumer<?, ?> consumer, ConsumerRebalanceListener camel) {
            this.consumer = consumer;
            this.camel = camel;
        }

        /**
         * Called at the end of every rebalance, with the partitions added (none, often, under the cooperative
         * assignor). A commit refused after this consumer's revocation callback, while the rebalance finished, is
         * made here: for a partition this consumer keeps there may be no later batch, and no revocation, to commit it.
         */
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            ownership.assigned(names(partitions));
            if (!partitions.isEmpty()) {
                LOG.infof("Partitions assigned: %s (now owning %d)", names(partitions), ownership.owned().size());
            }
            commitPending(List.of());
            camel.onPartitionsAssigned(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            handOver(partitions, true);
            commitPending(partitions);
            camel.onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            handOver(partitions, false);
            pendingCommits.forget(partitions);
            camel.onPartitionsLost(partitions);
        }

        /**
         * Commits, and waits for, every routed offset Kafka has not confirmed (refused while the group rebalanced, or
         * still on its way), for the revoked partitions and the kept ones alike: inside the callback this consumer
         * still owns them all, and their batches were routed. Only this consumer's: another consumer thread of this
         * instance commits its own in its own callback. Refused again, the offsets of the partitions it keeps go with
         * its next commit; those of the revoked ones are read again by their next owner.
         */
        private void commitPending(Collection<TopicPartition> revoked) {
            Set<TopicPartition> owned = new HashSet<>(consumer.assignment());
            owned.addAll(revoked);
            Map<TopicPartition, OffsetAndMetadata> offsets = pendingCommits.take(owned);
            if (offsets.isEmpty()) {
                return;
            }
            try {
                consumer.commitSync(offsets);
                LOG.debugf("Committed %s at the rebalance", offsets);
            } catch (KafkaException e) {
                offsets.forEach((p, o) -> {
                    if (!revoked.contains(p)) {
                        pendingCommits.routed(p, o.offset());
                    }
                });
                LOG.warnf("Commit of %s refused again (%s): kept partitions' offsets go with the next commit, "
                        + "revoked ones' batches will be read again", offsets, e.toString());
            }
        }

        private void handOver(Collection<TopicPartition> partitions, boolean checkpoint) {
            if (partitions.isEmpty()) {
                return;
            }
            long begin = System.nanoTime();
            List<String> keys = ownership.revoked(names(partitions), System.currentTimeMillis());
            int live = entities.release(keys, checkpoint);
            LOG.infof("Partitions %s: %s; %d keys let go (%d live%s) in %d ms", checkpoint ? "revoked" : "lost",
                    names(partitions), keys.size(), live, checkpoint ? ", checkpointed" : ", dropped unsaved",
                    (System.nanoTime() - begin) / 1_000_000);
        }
    }
}
