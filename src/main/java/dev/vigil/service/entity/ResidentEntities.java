package dev.vigil.service.entity;

import dev.vigil.service.entity.EntityRegistry.Entity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entities in memory, and which one to evict next (W-TinyLFU, as in Caffeine). New keys enter a small window,
 * least recently used first; past the window they join the main region on probation, and a key used again there is
 * kept (up to 80 % of the region; the eldest kept key goes back on probation). When one must go, the window's eldest
 * is weighed against the eldest on probation by how often each key was used lately ({@link KeyFrequency}), and the
 * less used goes.
 *
 * <p>Why not least recently used alone: when more keys arrive in turn than the budget holds (metric streams, one
 * point per host in turn), the least recently used key is always the next to come back, so every point evicts a key
 * and restores one from disk. Here the kept keys stay and are scored from memory, and only the others take turns.
 * A burst of one-off keys passes through the window too, without pushing out the keys in steady use. Up to the
 * window's size (16 keys, or 1 % of those in memory) it is the least recently used order. Not thread-safe: the
 * registry guards it.
 */
final class ResidentEntities {
    private static final int MIN_WINDOW = 16;
    private final LinkedHashMap<String, Entity> window = new LinkedHashMap<>(32, 0.75f, true);
    /** The main region's keys not used since they joined it: the victims come from here. */
    private final LinkedHashMap<String, Entity> probation = new LinkedHashMap<>(64, 0.75f, true);
    /** The main region's keys used again since they joined it, up to 80 % of the region. */
    private final LinkedHashMap<String, Entity> kept = new LinkedHashMap<>(64, 0.75f, true);
    private final KeyFrequency frequency;

    ResidentEntities(int maxKeys) {
        this.frequency = new KeyFrequency(maxKeys);
    }

    /** The entity of {@code key}, counted as a use; null if not in memory. */
    Entity get(String key) {
        Entity e = kept.get(key);
        if (e == null && (e = probation.remove(key)) != null) {
            kept.put(key, e);
            if (kept.size() > (kept.size() + probation.size()) * 4 / 5) {
                Entity demoted = removeEldest(kept);
                probation.put(demoted.key, demoted);
            }
        }
        if (e == null) {
            e = window.get(key);
        }
        if (e != null) {
            frequency.increment(key);
        }
        return e;
    }

    /** Adds {@code e} (not in memory yet) as the newest, counted as a use. */
    void add(Entity e) {
        frequency.increment(e.key);
        window.put(e.key, e);
        // With room to spare nothing is weighed: the window's eldest simply joins the main region.
        if (window.size() > windowSize()) {
            Entity eldest = removeEldest(window);
            probation.put(eldest.key, eldest);
        }
    }

    Entity remove(String key) {
        Entity e = kept.remove(key);
        if (e == null) {
            e = probation.remove(key);
        }
        return e != null ? e : window.remove(key);
    }

    boolean contains(String key) {
        return kept.containsKey(key) || probation.containsKey(key) || window.containsKey(key);
    }

    int size() {
        return kept.size() + probation.size() + window.size();
    }

    List<Entity> entities() {
        List<Entity> all = new ArrayList<>(size());
        all.addAll(kept.values());
        all.addAll(probation.values());
        all.addAll(window.values());
        return all;
    }

    /**
     * Removes and returns the entity to evict: the less used of the window's eldest and the main region's (of its
     * keys on probation, else of those kept).
     */
    Entity evict() {
        Map<String, Entity> main = probation.isEmpty() ? kept : probation;
        if (window.size() >= windowSize() && !main.isEmpty()) {
            Entity candidate = eldest(window);
            Entity victim = eldest(main);
            if (frequency.of(candidate.key) > frequency.of(victim.key)) {
                // The candidate earned its place: it joins the main region on probation, whose eldest goes.
                window.remove(candidate.key);
                main.remove(victim.key);
                probation.put(candidate.key, candidate);
                return victim;
            }
            return window.remove(candidate.key);
        }
        return main.isEmpty() ? removeEldest(window) : removeEldest(main);
    }

    private int windowSize() {
        return Math.max(MIN_WINDOW, size() / 100);
    }

    private static Entity eldest(Map<String, Entity> region) {
        return region.values().iterator().next();
    }

    private static Entity removeEldest(Map<String, Entity> region) {
        Iterator<Entity> it = region.values().iterator();
        Entity e = it.next();
        it.remove();
        return e;
    }
}
