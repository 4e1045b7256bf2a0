package dev.vigil.service.point;

/**
 * Why an input was refused: the field at fault (a feature name, {@code key}, {@code id}, or null for the whole
 * input), the rule it broke, a message for people, and the original input.
 */
public record Rejection(String source, String client, String id, String key, String field, RejectReason rule,
        String message, String original) {
}
