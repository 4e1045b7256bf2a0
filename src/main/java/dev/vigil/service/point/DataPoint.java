package dev.vigil.service.point;

/**
 * A validated point: finite values in the schema order of its entity ({@code names} is that schema, shared by
 * every point of the entity).
 */
public record DataPoint(String id, String key, String timestamp, String[] names, double[] values) {
}
