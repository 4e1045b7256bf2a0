package dev.vigil.service.point;

import java.util.Locale;

/** The rules an input can break; the lower-case name is the {@code reason} in rejections and metrics. */
public enum RejectReason {
    /** Not parseable as JSON or CSV. */
    MALFORMED,
    /** JSON that is not an object (or an array of objects). */
    NOT_AN_OBJECT,
    /** No features; or a broker message holding no point at all ({@code []}). */
    EMPTY_POINT,
    /** More features than {@code vigil.validation.max-features}. */
    TOO_MANY_FEATURES,
    /** A feature name longer than {@code vigil.validation.max-feature-name-length}. */
    NAME_TOO_LONG,
    /** A feature named twice in one point (a duplicate JSON field or CSV column). */
    DUPLICATE_FEATURE,
    /** A field of a point's envelope ({@code key}, {@code id}, {@code timestamp}, {@code features}) given twice. */
    DUPLICATE_FIELD,
    /** A feature name matching none of {@code vigil.validation.allowed-name-patterns}. */
    NAME_PATTERN,
    /** A name, key or string value containing one of {@code vigil.validation.blocked-patterns}. */
    BLOCKED_PATTERN,
    /** |value| at or above {@code vigil.validation.max-abs-value}, or a non-zero number too small for a double. */
    OUT_OF_RANGE,
    /** NaN or infinite. */
    NOT_FINITE,
    /** A string value longer than {@code vigil.validation.max-string-length}. */
    STRING_TOO_LONG,
    /** A string value that is not a number, with {@code vigil.validation.strings=reject}. */
    NOT_A_NUMBER,
    /** null, a boolean, an object or an array where a number belongs. */
    WRONG_TYPE,
    /** A feature of the entity's schema is missing. */
    SCHEMA_MISSING_FEATURE,
    /** A feature the entity's schema does not have. */
    SCHEMA_EXTRA_FEATURE,
    /**
     * The entity key or id is too long, or contains control characters or unpaired surrogates; the key is blank or
     * invisible (white space and format characters only), or is not a string.
     */
    INVALID_KEY,
    /** The point could not be checked at all (an internal error, logged); no parser should ever produce one. */
    UNCHECKED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
