package dev.vigil.service.point;

/**
 * Why an input was refused: the field at fault (a feature name, {@code key}, {@code id}, or null for the whole
 * input), the rule it broke, a message for people, and the original input. {@code originalLength} is the length
 * of the input as it came, in characters: longer than {@code original} when that was cut to a bound.
 */
public record Rejection(String source, String client, String id, String key, String field, RejectReason rule,
        String message, String original, int originalLength) {

    /** A rejection that keeps the whole of {@code original}. */
    public Rejection(String source, String client, String id, String key, String field, RejectReason rule,
            String message, String original) {
        this(source, client, id, key, field, rule, message, original, original == null ? 0 : original.length());
    }

    /** Whether {@code original} is only the beginning of the input. */
    public boolean truncated() {
        return original != null && originalLength > original.length();
    }

    /**
     * This rejection with at most {@code maxChars} characters of the original (never splitting a surrogate pair), so
     * that what a rejection keeps, and the sink groups made of them, stay bounded whatever the input.
     */
    public Rejection truncatedTo(int maxChars) {
        if (original == null || original.length() <= maxChars) {
            return this;
        }
        int end = Math.max(0, maxChars);
        if (end > 0 && Character.isHighSurrogate(original.charAt(end - 1))) {
            end--;
        }
        return new Rejection(source, client, id, key, field, rule, message, original.substring(0, end),
                originalLength);
    }
}
