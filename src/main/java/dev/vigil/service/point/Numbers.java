package dev.vigil.service.point;

/** Strict decimal number parsing for text inputs (CSV cells, numeric strings). */
final class Numbers {
    private Numbers() {
    }

    /**
     * The value of a plain decimal number ({@code -12}, {@code 3.5}, {@code 1e-3}), or of NaN / Infinity so
     * they can be refused by name. Anything else, including Java's extras ({@code 1d}, hex floats), throws.
     */
    static double parse(String text) {
        String s = text.strip();
        switch (s) {
            case "NaN", "nan", "NAN" -> {
                return Double.NaN;
            }
            case "Infinity", "+Infinity", "inf", "+inf", "Inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Infinity", "-inf", "-Inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                // fall through to the decimal check
            }
        }
        if (s.isEmpty() || s.length() > 64) {
            throw new NumberFormatException(s);
        }
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                throw new NumberFormatException(s);
            }
        }
        if (!digit) {
            throw new NumberFormatException(s);
        }
        return Double.parseDouble(s);
    }

    /** Whether a decimal number's digits before its exponent are all zero: a literal that really is 0. */
    static boolean isZero(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                return true;
            }
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }
}
