package dev.vigil.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event log stays bounded, counts every event by type, and keeps caller-controlled text harmless. */
class SecurityEventsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SecurityEvents events = new SecurityEvents(5,
            new VigilMetrics(registry, new EntityRegistry(10, Long.MAX_VALUE)),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void record_manyEvents_keepsTheLastN_countsAll() {
        for (int i = 0; i < 12; i++) {
            events.record(SecurityEvent.Type.INVALID_API_KEY, null, "10.0.0." + i, "attempt " + i);
        }
        events.record(SecurityEvent.Type.RATE_LIMITED, "reporting", "10.0.0.99", "5 points");

        List<SecurityEvent> kept = events.kept();
        assertEquals(5, kept.size());
        assertEquals("attempt 8", kept.get(0).detail());
        assertEquals(SecurityEvent.Type.RATE_LIMITED, kept.get(4).type());

        SecurityEvents.Summary summary = events.summary();
        assertEquals(13, summary.total());
        assertEquals(12L, summary.byType().get("invalid_api_key"));
        assertEquals(1L, summary.byType().get("rate_limited"));
        assertEquals(0L, summary.byType().get("missing_api_key"));
        assertEquals(SecurityEvent.Type.values().length, summary.byType().size());
        assertEquals(5, summary.recent().size(), "the last ten, or fewer when fewer are kept");
        assertEquals("unknown", summary.recent().get(0).client());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), summary.recent().get(0).time());
        assertEquals(12.0, registry.get("vigil.security.events").tag("type", "invalid_api_key").counter().count());
        assertEquals(1.0, registry.get("vigil.security.events").tag("type", "rate_limited").counter().count());
    }

    @Test
    void summary_showsTheLastTenOldestFirst() {
        SecurityEvents many = new SecurityEvents(1000, new VigilMetrics(registry, new EntityRegistry(10, Long.MAX_VALUE)),
                Clock.systemUTC());
        for (int i = 0; i < 25; i++) {
            many.record(SecurityEvent.Type.MALFORMED_REQUEST, "c", "127.0.0.1", "n" + i);
        }
        List<SecurityEvent> recent = many.summary().recent();
        assertEquals(10, recent.size());
        assertEquals("n15", recent.get(0).detail());
        assertEquals("n24", recent.get(9).detail());
    }

    @Test
    void event_callerControlledText_isPrintableAndShort() {
        SecurityEvent e = new SecurityEvent(SecurityEvent.Type.MISSING_API_KEY, "evil\r\nWARN forged line",
                null, Instant.EPOCH, "x".repeat(500));
        assertEquals("evil??WARN forged line", e.client());
        assertEquals("unknown", e.remoteAddress());
        assertTrue(e.detail().length() <= 203, e.detail());
        assertTrue(e.detail().endsWith("..."));
    }
}
