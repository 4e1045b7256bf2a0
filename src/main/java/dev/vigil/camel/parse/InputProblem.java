package dev.vigil.camel.parse;

import dev.vigil.service.point.RejectReason;

/**
 * A request that cannot be processed as a whole: malformed, too large, of the wrong type, or over its rate
 * limit. HTTP routes turn it into a JSON error with its status; other sources reject the input instead.
 */
public final class InputProblem extends RuntimeException {
    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public InputProblem(int status, String code, String message) {
        this(status, code, message, 0);
    }

    public InputProblem(int status, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** More points in one request or message than {@code setting} allows. */
    public static InputProblem tooManyPoints(int max, String setting) {
        return new InputProblem(413, "too_many_points", "more than " + max + " points in one input (" + setting + ")");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The rejection reason for sources that reject one line or message instead of failing a request. */
    public RejectReason rejectReason() {
        return code.equals("not_an_object") ? RejectReason.NOT_AN_OBJECT : RejectReason.MALFORMED;
    }
}
