package dev.vigil.service.security;

import dev.vigil.service.config.VigilConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Per-client rate limits in points per minute (the reference's RateLimiter, counting points rather than calls,
 * since one call may carry many). A token bucket per (source, client) holds up to one minute's allowance and
 * refills continuously.
 *
 * <p>Two ways to enforce it: {@link #reserve} for brokers and files, which always admits the points and
 * returns how long the caller must wait first (back-pressure, nothing is dropped); {@link #tryAcquire} for
 * HTTP, which refuses and says when to retry. Buckets that have refilled are forgotten when the map grows
 * large, so many one-off clients cannot exhaust memory.
 */
@ApplicationScoped
public class ClientThrottle {
    private static final int FORGET_ABOVE = 100_000;

    private final VigilConfig.Throttle config;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public ClientThrottle(VigilConfig config) {
        this(config.throttle(), System::nanoTime);
    }

    ClientThrottle(VigilConfig.Throttle config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
    }

    /** Points per minute allowed to one client of {@code source}; 0 is unlimited. */
    public int limit(String source) {
        return config.source().getOrDefault(source, config.maxPerMinute());
    }

    /** Takes {@code points} tokens (going into debt if needed); returns the nanoseconds to wait before going on. */
    public long reserve(String source, String client, int points) {
        return withBucket(source, client, b -> {
            b.tokens -= points;
            return b.tokens >= 0 ? 0 : (long) Math.ceil(-b.tokens / b.perNano);
        });
    }

    /**
     * Takes {@code points} tokens if the client has them (at most a full minute's allowance is ever needed);
     * otherwise takes nothing and returns the nanoseconds after which the request would pass. 0 means admitted.
     */
    public long tryAcquire(String source, String client, int points) {
        return withBucket(source, client, b -> {
            double needed = Math.min(points, b.capacity);
            if (b.tokens >= needed) {
                b.tokens -= points;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((needed - b.tokens) / b.perNano));
        });
    }

    /** Runs {@code take} on the client's refilled bucket, under its lock; 0 when the source is unlimited. */
    private long withBucket(String source, String client, ToLongFunction<Bucket> take) {
        int limit = limit(source);
        if (limit <= 0) {
            return 0;
        }
        Bucket b = bucket(source, client, limit);
        synchronized (b) {
            b.refill(nanoClock.getAsLong());
            return take.applyAsLong(b);
        }
    }

    private Bucket bucket(String source, String client, int limit) {
        String id = source + '\u0000' + client;
        Bucket b = buckets.get(id);
        if (b == null) {
            if (buckets.size() >= FORGET_ABOVE) {
                forgetFullBuckets();
            }
            b = buckets.computeIfAbsent(id, k -> new Bucket(limit, nanoClock.getAsLong()));
        }
        return b;
    }

    private void forgetFullBuckets() {
        long now = nanoClock.getAsLong();
        buckets.values().removeIf(b -> {
            synchronized (b) {
                b.refill(now);
                return b.tokens >= b.capacity;
            }
        });
    }

    private static final class Bucket {
        final double capacity;
        final double perNano;
        double tokens;
        long updated;

        Bucket(int perMinute, long now) {
            this.capacity = perMinute;
            this.perNano = perMinute / 60e9;
            this.tokens = perMinute;
            this.updated = now;
        }

        void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - updated) * perNano);
            updated = now;
        }
    }
}
