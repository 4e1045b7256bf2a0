package dev.vigil.camel.source.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * An inbox file read to an end that has settled. The read lock takes a file without waiting for its writer (it only
 * keeps other consumers off it), and a writer may still be writing, or append again, while it is read; the first end
 * of file would then leave the rest unread, and the file would move to {@code .done} with lines nobody scored. So at
 * the end of the file this looks again: if the file grew, it reads on; if it was modified less than
 * {@code settleMillis} ago, it waits until it was not. A file that grows
 * past {@code maxBytes} while read fails with an error (it goes to {@code .error}): a file that never ends is not
 * a file of points.
 */
final class SettledFileInput extends InputStream {
    private final Path path;
    private final InputStream in;
    private final long settleMillis;
    private final long maxBytes;
    private long position;

    SettledFileInput(Path path, long settleMillis, long maxBytes) throws IOException {
        this.path = path;
        this.in = Files.newInputStream(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        this.settleMillis = settleMillis;
        this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            int n = in.read(b, off, len);
            if (n > 0) {
                position += n;
                if (position > maxBytes) {
                    throw new IOException(path.getFileName() + " grew past " + maxBytes
                            + " bytes while it was read (vigil.inbox.max-file-mb)");
                }
                return n;
            }
            if (n == 0 || settled()) {
                return n;
            }
        }
    }

    /**
     * At the end of what was written: true when nothing more is coming (not modified for {@code settleMillis}, or
     * unchanged over one wait: a modification time in the future must not hold the read), false when there is more to
     * read now.
     */
    private boolean settled() throws IOException {
        BasicFileAttributes before = null;
        while (true) {
            BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (now.size() > position) {
                return false;
            }
            long quietFor = System.currentTimeMillis() - now.lastModifiedTime().toMillis();
            if (quietFor >= settleMillis || before != null && before.size() == now.size()
                    && before.lastModifiedTime().equals(now.lastModifiedTime())) {
                return true;
            }
            before = now;
            try {
                TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(settleMillis, settleMillis - quietFor)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while " + path.getFileName() + " was still being written");
            }
        }
    }

    /** Bytes read so far: the whole file once the end was read. */
    long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
