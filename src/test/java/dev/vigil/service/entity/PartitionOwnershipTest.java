package dev.vigil.service.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionOwnershipTest {

    @Test
    void revoked_returnsTheKeysLastSeenOnThosePartitionsOnly() {
        PartitionOwnership o = new PartitionOwnership(100);
        o.assigned(List.of("t-0", "t-1", "t-2"));
        o.seen(List.of("a"), "t-0");
        o.seen(List.of("b"), "t-1");
        o.seen(List.of("c"), "t-1");
        o.seen(List.of("d"), "t-2");
        assertEquals(Set.of("b", "c"), new HashSet<>(o.revoked(List.of("t-1"), 1000)));
        assertEquals(Set.of("t-0", "t-2"), o.owned());
        assertEquals(2, o.trackedKeys());
        assertEquals(List.of(), o.revoked(List.of("t-1"), 2000), "the keys were handed over already");
    }

    @Test
    void seen_keyMovesToAnotherPartition_onlyTheLastOneCounts() {
        PartitionOwnership o = new PartitionOwnership(100);
        o.seen(List.of("a"), "t-0");
        o.seen(List.of("a"), "t-3");
        assertEquals(List.of(), o.revoked(List.of("t-0"), 1000));
        assertEquals(List.of("a"), o.revoked(List.of("t-3"), 1000));
    }

    @Test
    void seen_moreKeysThanTheLimit_leastRecentlySeenForgotten() {
        PartitionOwnership o = new PartitionOwnership(3);
        o.seen(List.of("a"), "t-0");
        o.seen(List.of("b"), "t-0");
        o.seen(List.of("c"), "t-1");
        o.seen(List.of("a"), "t-0");
        o.seen(List.of("d"), "t-1");
        assertEquals(3, o.trackedKeys());
        assertEquals(Set.of("a"), new HashSet<>(o.revoked(List.of("t-0"), 1000)), "b was the eldest");
        assertEquals(Set.of("c", "d"), new HashSet<>(o.revoked(List.of("t-1"), 1000)));
    }

    @Test
    void polledBeforeRevocation_onlyRecordsTakenBeforeTheirPartitionWasRevoked() {
        PartitionOwnership o = new PartitionOwnership(10);
        assertFalse(o.polledBeforeRevocation("t-0", 500), "never revoked");
        o.revoked(List.of("t-0"), 1000);
        assertTrue(o.polledBeforeRevocation("t-0", 999));
        assertFalse(o.polledBeforeRevocation("t-0", 1000), "the same millisecond counts as after: a duplicate, not a loss");
        assertFalse(o.polledBeforeRevocation("t-0", 1500));
        assertFalse(o.polledBeforeRevocation("t-1", 999), "another partition");
    }
}
