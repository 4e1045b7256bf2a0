package dev.vigil.camel.source.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Refused commits are kept per partition, superseded by a later commit, and never move an offset backwards. */
class RefusedCommitsTest {
    private static final TopicPartition P0 = new TopicPartition("points", 0);
    private static final TopicPartition P1 = new TopicPartition("points", 1);

    @Test
    void refused_keptAtTheHighestOffset_untilTaken() {
        RefusedCommits refused = new RefusedCommits();
        refused.refused(P0, 100);
        refused.refused(P0, 80);
        refused.refused(P1, 7);
        assertEquals(Map.of(P0, new OffsetAndMetadata(100), P1, new OffsetAndMetadata(7)), refused.take(List.of(P0, P1)));
        assertTrue(refused.take(List.of(P0, P1)).isEmpty(), "taken once");
    }

    @Test
    void take_onlyTheGivenPartitions_othersLeftForTheirConsumer() {
        RefusedCommits refused = new RefusedCommits();
        refused.refused(P0, 100);
        refused.refused(P1, 50);
        assertEquals(Map.of(P1, new OffsetAndMetadata(50)), refused.take(List.of(P1)));
        assertEquals(Map.of(P0, new OffsetAndMetadata(100)), refused.take(List.of(P0, P1)));
    }

    @Test
    void laterCommit_supersedesTheRefusedOne_anEarlierDoesNot() {
        RefusedCommits refused = new RefusedCommits();
        refused.refused(P0, 100);
        refused.refused(P1, 50);
        refused.committed(P0, 150); // the next batch of P0 was committed: committing 100 now would go backwards
        refused.committed(P1, 40);
        assertEquals(Map.of(P1, new OffsetAndMetadata(50)), refused.take(List.of(P0, P1)));
    }

    @Test
    void lostPartitions_forgotten() {
        RefusedCommits refused = new RefusedCommits();
        refused.refused(P0, 100);
        refused.refused(P1, 50);
        refused.forget(List.of(P0));
        assertEquals(Map.of(P1, new OffsetAndMetadata(50)), refused.take(List.of(P0, P1)));
    }
}
