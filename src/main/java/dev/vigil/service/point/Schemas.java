package dev.vigil.service.point;

/** Where each key's schema is kept: the first point of a key fixes it (the entity registry keeps them). */
@FunctionalInterface
public interface Schemas {
    /** The schema of {@code key}: the one it already has, or {@code names} if the key is new. */
    Schema of(String key, String[] names);
}
