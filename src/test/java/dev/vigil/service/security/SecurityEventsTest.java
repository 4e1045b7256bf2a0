package dev.vigil.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.monitor.VigilMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The event log stays bounded, counts every event by type, and keeps caller-controlled text harmless. */
class SecurityEventsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SecurityEvents events = new SecurityEvents(5,
            new VigilMetrics(registry),
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
        SecurityEvents many = new SecurityEvents(1000, new VigilMetrics(registry),
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
    void record_flood_logsTheFirstPerMinute_thenOneLineWithTheRest() {
        MutableClock clock = new MutableClock();
        SecurityEvents flooded = new SecurityEvents(1000, new VigilMetrics(registry), clock);
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage().contains("%") ? String.format(r.getMessage(), r.getParameters())
                        : r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(SecurityEvents.class.getName());
        logger.addHandler(capture);
        try {
            for (int i = 0; i < 500; i++) {
                flooded.record(SecurityEvent.Type.INVALID_API_KEY, null, "10.0.0.1", "attempt " + i);
            }
            assertEquals(SecurityEvents.LOGGED_PER_MINUTE, lines.size(), lines.toString());
            assertEquals(500, flooded.summary().total(), "every event is counted, logged or not");

            clock.now = clock.now.plusSeconds(61);
            flooded.record(SecurityEvent.Type.MISSING_API_KEY, null, "10.0.0.2", "next minute");
            assertEquals(SecurityEvents.LOGGED_PER_MINUTE + 2, lines.size(), lines.toString());
            assertTrue(lines.get(lines.size() - 2).startsWith("480 more security events"), lines.toString());
            assertTrue(lines.get(lines.size() - 1).contains("missing_api_key"), lines.toString());
        } finally {
            logger.removeHandler(capture);
        }
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
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
