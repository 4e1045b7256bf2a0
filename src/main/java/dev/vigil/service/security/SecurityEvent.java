package dev.vigil.service.security;

import java.time.Instant;
import java.util.Locale;

/**
 * One refused or suspicious request: what happened, who (the configured client name, or {@code unknown}), from
 * where, when, and a short detail. Never a key, never payload content: the detail is written by Vigil from
 * rule names and sizes, and every text field is cut to printable ASCII, so a caller's header cannot forge a
 * log line.
 */
public record SecurityEvent(Type type, String client, String remoteAddress, Instant time, String detail) {
    public static final String UNKNOWN = "unknown";
    private static final int MAX_CLIENT = 64;
    private static final int MAX_ADDRESS = 64;
    private static final int MAX_DETAIL = 200;

    public enum Type {
        /** An /api/* request without an X-API-Key header. */
        MISSING_API_KEY,
        /** An X-API-Key that matches no configured key. */
        INVALID_API_KEY,
        /** A client over its rate limit (429). */
        RATE_LIMITED,
        /** A body over the size limit, or more points than allowed in one request (413). */
        PAYLOAD_TOO_LARGE,
        /** A Content-Type other than application/json or text/csv (415). */
        UNSUPPORTED_MEDIA_TYPE,
        /** A body that is not readable JSON or CSV, too deeply nested, or not UTF-8 (400). */
        MALFORMED_REQUEST,
        /** Points refused by validation (blocked patterns, out of range, wrong types, ...). */
        INVALID_POINTS,
        /** A body not received within {@code vigil.http.body-timeout}: its connection was closed. */
        REQUEST_TIMEOUT,
        /** A body refused unread because the bodies held passed {@code vigil.http.max-buffered-mb} (503). */
        SERVER_BUSY;

        /** The lower-case name used in the summary, the log and the metric tag. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SecurityEvent {
        client = printable(client == null || client.isBlank() ? UNKNOWN : client, MAX_CLIENT);
        remoteAddress = printable(remoteAddress == null || remoteAddress.isBlank() ? UNKNOWN : remoteAddress,
                MAX_ADDRESS);
        detail = printable(detail == null ? "" : detail, MAX_DETAIL);
    }

    /** Printable ASCII only (anything else becomes '?'), at most {@code max} characters. */
    static String printable(String text, int max) {
        int n = Math.min(text.length(), max);
        StringBuilder out = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > max ? out.append("...").toString() : out.toString();
    }
}
