package dev.vigil.camel.parse;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.function.BooleanSupplier;

/**
 * Reads lines (LF or CRLF) of at most {@code maxChars} characters. A longer line is consumed to its end without
 * being kept and reported as {@link #TOO_LONG}, so one hostile line cannot exhaust the heap. When {@code stop}
 * says so, the reading ends before the next buffer of input, as at the end of the input.
 */
final class BoundedLineReader implements Closeable {
    /** Returned for a line over the limit; compare by identity. */
    static final String TOO_LONG = new String("<line too long>");

    private final Reader in;
    private final int maxChars;
    private final BooleanSupplier stop;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private final StringBuilder line = new StringBuilder();

    BoundedLineReader(Reader in, int maxChars) {
        this(in, maxChars, () -> false);
    }

    BoundedLineReader(Reader in, int maxChars, BooleanSupplier stop) {
        this.in = in;
        this.maxChars = maxChars;
        this.stop = stop;
    }

    /** The next line without its terminator, {@link #TOO_LONG}, or null at the end of the input. */
    String readLine() throws IOException {
        line.setLength(0);
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                if (stop.getAsBoolean()) {
                    return null;
                }
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? finish(tooLong) : null;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            if (!tooLong) {
                int n = position - start;
                if (line.length() + n > maxChars) {
                    tooLong = true;
                    line.setLength(0);
                } else {
                    line.append(buffer, start, n);
                }
            }
            if (position < limit) {
                position++;
                return finish(tooLong);
            }
        }
    }

    private String finish(boolean tooLong) {
        if (tooLong) {
            return TOO_LONG;
        }
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
