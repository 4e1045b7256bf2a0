package dev.vigil.service.point;

/**
 * A point as a source delivered it, before validation: metadata, feature names and raw values. A value is a
 * {@link Double} (a JSON number), a {@link String} (a CSV cell or a JSON string), or a {@link WrongType}
 * marker. {@code original} is the input text, kept for the rejected endpoint. {@code problem} is what the parser
 * already found wrong with the point as a whole (a key that is not text, a field given twice), or null: validation
 * refuses such a point with it.
 */
public record RawPoint(String id, String key, String timestamp, String[] names, Object[] values, String original,
        Problem problem) {

    /** A point the parser found nothing wrong with. */
    public RawPoint(String id, String key, String timestamp, String[] names, Object[] values, String original) {
        this(id, key, timestamp, names, values, original, null);
    }

    /** This point with another id (what the parser found wrong with it stays). */
    public RawPoint withId(String newId) {
        return new RawPoint(newId, key, timestamp, names, values, original, problem);
    }

    /** This point with another key (what the parser found wrong with it stays). */
    public RawPoint withKey(String newKey) {
        return new RawPoint(id, newKey, timestamp, names, values, original, problem);
    }

    /** What is wrong with a point: the field, the rule it breaks, and a message naming both. */
    public record Problem(String field, RejectReason rule, String message) {
    }

    /** JSON values that can never be a feature value. */
    public enum WrongType {
        NULL, BOOLEAN, OBJECT, ARRAY
    }
}
