package dev.vigil.service.entity;

import dev.vigil.service.entity.EntityRegistry.Entity;
import java.util.ArrayList;
import java.util.HashMap;
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
 *
 * <p>One map finds a key's node, and each region is a list threaded through its nodes, as Caffeine's access-order
 * deques are: a use moves a node by a few links. Keys in turn move from probation to kept at every use, which with
 * a map per region cost five hash operations a point.
 */
final class ResidentEntities {
    private static final int MIN_WINDOW = 16;
    private final Map<String, Node> nodes = new HashMap<>();
    private final Region window = new Region();
    /** The main region's keys not used since they joined it: the victims come from here. */
    private final Region probation = new Region();
    /** The main region's keys used again since they joined it, up to 80 % of the region. */
    private final Region kept = new Region();
    private final KeyFrequency frequency;

    ResidentEntities(int maxKeys) {
        this.frequency = new KeyFrequency(maxKeys);
    }

    /** The entity of {@code key}, counted as a use; null if not in memory. */
    Entity get(String key) {
        Node n = nodes.get(key);
        if (n == null) {
            return null;
        }
        Region region = n.region;
        region.unlink(n);
        if (region == probation) {
            kept.append(n);
            if (kept.size > (kept.size + probation.size) * 4 / 5) {
                probation.append(kept.removeEldest());
            }
        } else {
            region.append(n);
        }
        frequency.increment(key);
        return n.entity;
    }

    /** Adds {@code e} (not in memory yet) as the newest, counted as a use. */
    void add(Entity e) {
        frequency.increment(e.key);
        Node n = new Node(e);
        nodes.put(e.key, n);
        window.append(n);
        // With room to spare nothing is weighed: the window's eldest simply joins the main region.
        if (window.size > windowSize()) {
            probation.append(window.removeEldest());
        }
    }

    Entity remove(String key) {
        Node n = nodes.remove(key);
        if (n == null) {
            return null;
        }
        n.region.unlink(n);
        return n.entity;
    }

    boolean contains(String key) {
        return nodes.containsKey(key);
    }

    int size() {
        return nodes.size();
    }

    /** Every entity: the kept, those on probation, then the window's, each region eldest first. */
    List<Entity> entities() {
        List<Entity> all = new ArrayList<>(size());
        for (Region region : List.of(kept, probation, window)) {
            for (Node n = region.eldest; n != null; n = n.newer) {
                all.add(n.entity);
            }
        }
        return all;
    }

    /**
     * Removes and returns the entity to evict: the less used of the window's eldest and the main region's (of its
     * keys on probation, else of those kept).
     */
    Entity evict() {
        Region main = probation.size == 0 ? kept : probation;
        if (window.size >= windowSize() && main.size > 0) {
            Node candidate = window.eldest;
            Node victim = main.eldest;
            if (frequency.of(candidate.entity.key) > frequency.of(victim.entity.key)) {
                // The candidate earned its place: it joins the main region on probation, whose eldest goes.
                window.unlink(candidate);
                probation.append(candidate);
                return remove(victim.entity.key);
            }
            return remove(candidate.entity.key);
        }
        return remove((main.size == 0 ? window : main).eldest.entity.key);
    }

    private int windowSize() {
        return Math.max(MIN_WINDOW, size() / 100);
    }

    /** An entity's place in the lists. */
    private static final class Node {
        final Entity entity;
        Region region;
        Node older;
        Node newer;

        Node(Entity entity) {
            this.entity = entity;
        }
    }

    /** One region's nodes, eldest (least recently used) first. */
    private static final class Region {
        Node eldest;
        Node newest;
        int size;

        void append(Node n) {
            n.region = this;
            n.older = newest;
            n.newer = null;
            if (newest == null) {
                eldest = n;
            } else {
                newest.newer = n;
            }
            newest = n;
            size++;
        }

        void unlink(Node n) {
            if (n.older == null) {
                eldest = n.newer;
            } else {
                n.older.newer = n.newer;
            }
            if (n.newer == null) {
                newest = n.older;
            } else {
                n.newer.older = n.older;
            }
            n.older = null;
            n.newer = null;
            n.region = null;
            size--;
        }

        Node removeEldest() {
            Node n = eldest;
            unlink(n);
            return n;
        }
    }
}
