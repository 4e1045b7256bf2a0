package dev.vigil.eval.nab;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

/**
 * Timestamps as NAB compares them: as date-times, not as text, because the data writes
 * {@code 2014-04-10 07:15:00} and the windows file {@code 2014-04-10 07:15:00.000000} for the same instant.
 * No zone: NAB's timestamps are local, and a repeated local time (a daylight-saving artefact) stays repeated.
 */
final class NabTimestamps {
    private NabTimestamps() {
    }

    /** {@code YYYY-MM-DD HH:MM[:SS[.fraction]]}, with a space or a {@code T} between date and time. */
    static LocalDateTime parse(String text) {
        String s = text.trim();
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        try {
            return LocalDateTime.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a timestamp of the form YYYY-MM-DD HH:MM:SS: '" + text + "'");
        }
    }
}
