package dev.vigil.camel.source.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the HTTP server holds at once, over all connections: each request reserves its
 * declared size (the body limit for a body without one) before a byte of it is read, and gives it back when its
 * response ends or its connection closes. The body limit bounds one request; this bounds them all, so unfinished
 * bodies on many connections cannot fill the heap. One client may hold at most half of it, so a single key cannot
 * shut the others out.
 */
final class BodyBudget {
    private final long capacity;
    private final long perClient;
    private final AtomicLong held = new AtomicLong();
    /** Bytes held per client; a client holding nothing has no entry. */
    private final ConcurrentHashMap<String, Long> byClient = new ConcurrentHashMap<>();

    BodyBudget(long capacity) {
        this.capacity = capacity;
        this.perClient = Math.max(1, capacity / 2);
    }

    /** Reserves {@code bytes} for {@code client}; false, reserving nothing, when that would pass either bound. */
    boolean tryReserve(String client, long bytes) {
        boolean[] within = {false};
        byClient.compute(client, (c, mine) -> {
            long now = mine == null ? 0 : mine;
            within[0] = now + bytes <= perClient;
            return within[0] ? Long.valueOf(now + bytes) : mine;
        });
        if (!within[0]) {
            return false;
        }
        if (held.addAndGet(bytes) > capacity) {
            release(client, bytes);
            return false;
        }
        return true;
    }

    /** Gives back what {@link #tryReserve} took for {@code client}. */
    void release(String client, long bytes) {
        held.addAndGet(-bytes);
        byClient.computeIfPresent(client, (c, mine) -> mine - bytes <= 0 ? null : mine - bytes);
    }

    /** Bytes reserved now. */
    long held() {
        return held.get();
    }

    long capacity() {
        return capacity;
    }
}
