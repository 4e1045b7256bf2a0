package dev.vigil.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jboss.logging.Logger;

/**
 * The security event log (the reference's {@code security_events} and {@code get_security_summary}): refused
 * and suspicious requests, each logged at WARN, counted by type since start (also as the Micrometer counter
 * {@code vigil.security.events{type}}), and the last {@code vigil.security.events-kept} kept in memory. Memory
 * stays bounded however hostile the traffic: a fixed-size ring and one counter per type.
 */
@ApplicationScoped
public class SecurityEvents {
    private static final Logger LOG = Logger.getLogger(SecurityEvents.class);
    static final int RECENT = 10;

    /** What {@code GET /api/v1/status} shows: events since start, by type, and the last ten, oldest first. */
    public record Summary(long total, Map<String, Long> byType, List<SecurityEvent> recent) {
    }

    private final int capacity;
    private final VigilMetrics metrics;
    private final Clock clock;
    private final ArrayDeque<SecurityEvent> ring;
    private final AtomicLongArray counts = new AtomicLongArray(SecurityEvent.Type.values().length);

    @Inject
    public SecurityEvents(VigilConfig config, VigilMetrics metrics) {
        this(config.security().eventsKept(), metrics, Clock.systemUTC());
    }

    SecurityEvents(int capacity, VigilMetrics metrics, Clock clock) {
        this.capacity = Math.max(1, capacity);
        this.metrics = metrics;
        this.clock = clock;
        this.ring = new ArrayDeque<>(this.capacity);
    }

    /**
     * Records one event. {@code client} is the configured client name (or null when unknown); {@code detail}
     * must be written by Vigil (rule names, sizes), never copied from the request.
     */
    public void record(SecurityEvent.Type type, String client, String remoteAddress, String detail) {
        SecurityEvent event = new SecurityEvent(type, client, remoteAddress, clock.instant(), detail);
        counts.incrementAndGet(type.ordinal());
        synchronized (ring) {
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(event);
        }
        metrics.securityEvent(type);
        LOG.warnf("Security event %s: client=%s remote=%s %s", type.label(), event.client(), event.remoteAddress(),
                event.detail());
    }

    public Summary summary() {
        Map<String, Long> byType = new LinkedHashMap<>();
        long total = 0;
        for (SecurityEvent.Type t : SecurityEvent.Type.values()) {
            long n = counts.get(t.ordinal());
            byType.put(t.label(), n);
            total += n;
        }
        List<SecurityEvent> recent;
        synchronized (ring) {
            recent = new ArrayList<>(ring).subList(Math.max(0, ring.size() - RECENT), ring.size());
        }
        return new Summary(total, byType, List.copyOf(recent));
    }

    /** The events still kept, oldest first (at most {@code vigil.security.events-kept}). */
    public List<SecurityEvent> kept() {
        synchronized (ring) {
            return List.copyOf(ring);
        }
    }
}
