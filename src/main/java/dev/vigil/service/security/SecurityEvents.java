package dev.vigil.service.security;

import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The security event log (the reference's {@code security_events} and {@code get_security_summary}): refused
 * and suspicious requests, each logged at WARN, counted by type since start (also as the Micrometer counter
 * {@code vigil.security.events{type}}), and the last {@code vigil.security.events-kept} kept in memory. Memory
 * stays bounded however hostile the traffic: a fixed-size ring and one counter per type. So does the log: the
 * first {@value #LOGGED_PER_MINUTE} events of each minute are logged in full, the rest are summed up in one
 * line when the next minute's first event arrives.
 */
@ApplicationScoped
public class SecurityEvents {
    private static final Logger LOG = Logger.getLogger(SecurityEvents.class);
    static final int RECENT = 10;
    static final int LOGGED_PER_MINUTE = 20;
    private static final long MINUTE_MILLIS = 60_000;

    /** What {@code GET /api/v1/status} shows: events since start, by type, and the last ten, oldest first. */
    public record Summary(long total, Map<String, Long> byType, List<SecurityEvent> recent) {
    }

    private final int capacity;
    private final VigilMetrics metrics;
    private final Clock clock;
    private final ArrayDeque<SecurityEvent> ring;
    private final AtomicLongArray counts = new AtomicLongArray(SecurityEvent.Type.values().length);
    // The log's minute, guarded by ring.
    private long minuteStart;
    private int loggedThisMinute;
    private long unloggedThisMinute;

    @Inject
    public SecurityEvents(VigilConfig config, VigilMetrics metrics) {
        this(config.security().eventsKept(), metrics, Clock.systemUTC());
    }

    SecurityEvents(int capacity, VigilMetrics metrics, Clock clock) {
        this.capacity = Math.max(1, capacity);
        this.metrics = metrics;
        this.clock = clock;
        this.minuteStart = clock.millis();
        this.ring = new ArrayDeque<>(this.capacity);
    }

    /**
     * Records one event. {@code client} is the configured client name (or null when unknown); {@code detail}
     * must be written by Vigil (rule names, sizes), never copied from the request.
     */
    public void record(SecurityEvent.Type type, String client, String remoteAddress, String detail) {
        SecurityEvent event = new SecurityEvent(type, client, remoteAddress, clock.instant(), detail);
        counts.incrementAndGet(type.ordinal());
        long unloggedBefore = 0;
        boolean log;
        synchronized (ring) {
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(event);
            long now = event.time().toEpochMilli();
            if (now - minuteStart >= MINUTE_MILLIS) {
                unloggedBefore = unloggedThisMinute;
                minuteStart = now;
                loggedThisMinute = 0;
                unloggedThisMinute = 0;
            }
            log = loggedThisMinute < LOGGED_PER_MINUTE;
            if (log) {
                loggedThisMinute++;
            } else {
                unloggedThisMinute++;
            }
        }
        metrics.securityEvent(type.label());
        if (unloggedBefore > 0) {
            LOG.warnf("%d more security events in the minute before were not logged (vigil_security_events_total "
                    + "counts them by type)", unloggedBefore);
        }
        if (log) {
            LOG.warnf("Security event %s: client=%s remote=%s %s", type.label(), event.client(), event.remoteAddress(),
                    event.detail());
        }
    }

    public Summary summary() {
        return summary(e -> true);
    }

    /**
     * The summary as one caller may see it: counts by type (they name nobody) and the last ten kept events that
     * {@code visible} lets through.
     */
    public Summary summary(Predicate<SecurityEvent> visible) {
        Map<String, Long> byType = new LinkedHashMap<>();
        long total = 0;
        for (SecurityEvent.Type t : SecurityEvent.Type.values()) {
            long n = counts.get(t.ordinal());
            byType.put(t.label(), n);
            total += n;
        }
        List<SecurityEvent> recent;
        synchronized (ring) {
            recent = new ArrayList<>(ring.stream().filter(visible).toList());
        }
        return new Summary(total, byType, List.copyOf(recent.subList(Math.max(0, recent.size() - RECENT),
                recent.size())));
    }

    /** The events still kept, oldest first (at most {@code vigil.security.events-kept}). */
    public List<SecurityEvent> kept() {
        synchronized (ring) {
            return List.copyOf(ring);
        }
    }
}
