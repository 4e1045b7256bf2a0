package dev.vigil.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.service.monitor.VigilMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A caller's view of the security summary: all the counts, and the last events it may see. */
class SecurityEventsVisibilityTest {
    @Test
    void summary_filteredByClient_lastTenOfThatClientCountsForAll() {
        SecurityEvents events = new SecurityEvents(100, new VigilMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
        for (int i = 0; i < 12; i++) {
            events.record(SecurityEvent.Type.RATE_LIMITED, "bob", "10.0.0.1", "over " + i);
        }
        for (int i = 0; i < 20; i++) {
            events.record(SecurityEvent.Type.INVALID_API_KEY, null, "10.0.0." + i, "no");
        }
        SecurityEvents.Summary bobs = events.summary(e -> e.client().equals("bob"));
        assertEquals(32, bobs.total());
        assertEquals(10, bobs.recent().size(), "bob's last ten, though twenty later events are not his");
        assertEquals(List.of("bob"), bobs.recent().stream().map(SecurityEvent::client).distinct().toList());
        assertEquals("over 11", bobs.recent().get(9).detail());
    }
}
