package dev.vigil.camel.source.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Routed offsets are kept per partition until a commit confirms them, and never move an offset backwards. */
class PendingCommitsTest {
    private static final TopicPartition P0 = new TopicPartition("points", 0);
    private static final TopicPartition P1 = new TopicPartition("points", 1);

    @Test
    void routed_keptAtTheHighestOffset_untilTaken() {
        PendingCommits pending = new PendingCommits();
        pending.routed(P0, 100);
        pending.routed(P0, 80);
        pending.routed(P1, 7);
        assertEquals(Map.of(P0, new OffsetAndMetadata(100), P1, new OffsetAndMetadata(7)), pending.take(List.of(P0, P1)));
        assertTrue(pending.take(List.of(P0, P1)).isEmpty(), "taken once");
    }

    @Test
    void take_onlyTheGivenPartitions_othersLeftForTheirConsumer() {
        PendingCommits pending = new PendingCommits();
        pending.routed(P0, 100);
        pending.routed(P1, 50);
        assertEquals(Map.of(P1, new OffsetAndMetadata(50)), pending.take(List.of(P1)));
        assertEquals(Map.of(P0, new OffsetAndMetadata(100)), pending.take(List.of(P0, P1)));
    }

    @Test
    void laterCommit_supersedesThePendingOne_anEarlierDoesNot() {
        PendingCommits pending = new PendingCommits();
        pending.routed(P0, 100);
        pending.routed(P1, 50);
        pending.committed(P0, 150); // P0's next batch confirmed: committing 100 now would go backwards
        pending.committed(P1, 40);
        assertEquals(Map.of(P1, new OffsetAndMetadata(50)), pending.take(List.of(P0, P1)));
    }

    /** What each commit sends again: the owned partitions' pending offsets, left pending until confirmed. */
    @Test
    void of_theOwnedPartitions_stillPendingAfterwards() {
        PendingCommits pending = new PendingCommits();
        pending.routed(P0, 100);
        pending.routed(P1, 50);
        assertEquals(Map.of(P0, new OffsetAndMetadata(100)), pending.of(List.of(P0)));
        assertEquals(Map.of(P0, new OffsetAndMetadata(100)), pending.of(List.of(P0)));
        pending.committed(P0, 100);
        assertEquals(Map.of(), pending.of(List.of(P0)));
        assertEquals(1, pending.size());
    }

    @Test
    void lostPartitions_forgotten() {
        PendingCommits pending = new PendingCommits();
        pending.routed(P0, 100);
        pending.routed(P1, 50);
        pending.forget(List.of(P0));
        assertEquals(Map.of(P1, new OffsetAndMetadata(50)), pending.take(List.of(P0, P1)));
    }
}
