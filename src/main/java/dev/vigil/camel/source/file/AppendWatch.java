package dev.vigil.camel.source.file;

import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.storage.LineEnds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Lines a writer appends to an inbox file after it was read. The file has moved to {@code .done} by then, but a
 * writer that kept it open appends there, and those lines would be scored by nobody. So for {@value #WATCH_MILLIS}
 * ms after a file is read, its copy in {@code .done} is watched: complete lines that appear beyond what was read are
 * copied into a new inbox file ({@code <name>.appended-<time>.<ext>}, with the CSV header line for a CSV file), which
 * the inbox then reads like any other, logged at WARN and counted ({@code vigil_inbox_appends_recovered_total}). A
 * writer that appends later than that is not watched: files should be written elsewhere and moved into the inbox.
 */
final class AppendWatch {
    private static final Logger LOG = Logger.getLogger(AppendWatch.class);
    static final long WATCH_MILLIS = 60_000;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private record Watched(long readTo, long until) {
    }

    private final Path inbox;
    private final int maxLineLength;
    private final VigilMetrics metrics;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();

    AppendWatch(Path inbox, int maxLineLength, VigilMetrics metrics) {
        this.inbox = inbox;
        this.maxLineLength = maxLineLength;
        this.metrics = metrics;
    }

    /** {@code name} was read to byte {@code readTo} and is moving to {@code .done}: watch it for appends. */
    void watch(String name, long readTo) {
        watched.put(name, new Watched(readTo, System.currentTimeMillis() + WATCH_MILLIS));
    }

    /** A new file of that name is being read: the one watched is renamed aside, no longer the one in .done. */
    void forget(String name) {
        watched.remove(name);
    }

    /** Moves the lines appended to the watched files back into the inbox; forgets the files watched long enough. */
    void check() {
        long now = System.currentTimeMillis();
        for (Iterator<Map.Entry<String, Watched>> it = watched.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Watched> e = it.next();
            String name = e.getKey();
            Watched w = e.getValue();
            Path done = inbox.resolve(InboxFiles.DONE).resolve(name);
            try {
                long size = Files.size(done);
                if (size < w.readTo()) {
                    it.remove(); // another file of that name: the one read was renamed aside
                } else if (size > w.readTo()) {
                    long readTo = recover(name, done, w.readTo());
                    e.setValue(new Watched(readTo, w.until()));
                }
            } catch (NoSuchFileException notMovedYet) {
                // the move to .done has not happened yet
            } catch (IOException ex) {
                LOG.warnf("Cannot check inbox file %s for appended lines: %s", done, ex.toString());
            }
            if (now > w.until()) {
                it.remove();
            }
        }
    }

    /**
     * Copies the complete lines of {@code done} after {@code from} into a new inbox file, streamed (the appended part
     * may be large), written under a hidden name and renamed into place; returns where the copied lines end.
     */
    private long recover(String name, Path done, long from) throws IOException {
        int dot = name.lastIndexOf('.');
        String appended = name.substring(0, dot) + ".appended-" + STAMP.format(Instant.now()) + name.substring(dot);
        Path target = inbox.resolve(appended);
        Path hidden = inbox.resolve("." + appended + ".tmp");
        long end;
        try (FileChannel in = FileChannel.open(done, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            end = LineEnds.afterLastNewline(in, from, in.size());
            if (end <= from) {
                return from; // no complete line yet
            }
            try (FileChannel out = FileChannel.open(hidden, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                if (name.toLowerCase(Locale.ROOT).endsWith(".csv")) {
                    out.write(ByteBuffer.wrap(headerLine(done)));
                }
                for (long at = from; at < end; ) {
                    at += in.transferTo(at, end - at, out);
                }
                out.force(true);
            }
        } catch (IOException e) {
            Files.deleteIfExists(hidden);
            throw e;
        }
        Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE);
        metrics.count("vigil.inbox.appends.recovered", "Lines appended to inbox files after they were read, moved back "
                + "into the inbox as files of their own", "source", "file");
        LOG.warnf("%d bytes were appended to inbox file %s after it was read; they are moved back into the inbox as %s."
                + " Write files elsewhere and move them into the inbox once complete.", end - from, name, appended);
        return end;
    }

    /** The first line of a CSV file, with its newline (at most the longest line the inbox reads). */
    private byte[] headerLine(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] start = in.readNBytes(maxLineLength * 4 + 2);
            for (int i = 0; i < start.length; i++) {
                if (start[i] == '\n') {
                    return Arrays.copyOf(start, i + 1);
                }
            }
            return (new String(start, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        }
    }
}
