package dev.vigil.camel.source.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bytes of request bodies held at once: within the budget overall, and within half of it per client. */
class BodyBudgetTest {
    @Test
    void tryReserve_overTheBudgetOrAClientsHalf_refusedAndNothingTaken() {
        BodyBudget budget = new BodyBudget(100);
        assertTrue(budget.tryReserve("a", 50));
        assertFalse(budget.tryReserve("a", 1), "one client holds at most half");
        assertTrue(budget.tryReserve("b", 40));
        assertFalse(budget.tryReserve("c", 11), "over the budget");
        assertEquals(90, budget.held(), "a refusal takes nothing");
        assertTrue(budget.tryReserve("c", 10));
        budget.release("a", 50);
        budget.release("b", 40);
        budget.release("c", 10);
        assertEquals(0, budget.held());
        assertTrue(budget.tryReserve("a", 50), "what was given back can be taken again");
    }
}
