package dev.vigil.service.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Where lines end in a file of text lines, read backwards from an end so that a large file costs one buffer. */
public final class LineEnds {
    private LineEnds() {
    }

    /** The position just after the last newline in {@code [from, to)} of {@code c}, or {@code from} if there is none. */
    public static long afterLastNewline(FileChannel c, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8192);
        for (long at = to; at > from; ) {
            long start = Math.max(from, at - b.capacity());
            b.clear().limit((int) (at - start));
            c.read(b, start);
            for (int i = b.position() - 1; i >= 0; i--) {
                if (b.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            at = start;
        }
        return from;
    }
}
