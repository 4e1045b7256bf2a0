package dev.vigil.service.point;

/**
 * A point as a source delivered it, before validation: metadata, feature names and raw values. A value is a
 * {@link Double} (a JSON number), a {@link String} (a CSV cell or a JSON string), or a {@link WrongType}
 * marker. {@code original} is the input text, kept for the rejected endpoint.
 */
public record RawPoint(String id, String key, String timestamp, String[] names, Object[] values, String original) {

    /** JSON values that can never be a feature value. */
    public enum WrongType {
        NULL, BOOLEAN, OBJECT, ARRAY
    }
}
