package dev.vigil.camel.sink;

import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.storage.LineEnds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.util.URISupport;
import org.jboss.logging.Logger;

/**
 * Ends a torn last line of the appended file sinks before the sources start. A crash (SIGKILL, OOM kill, power
 * loss) can cut an append short: Linux stops a large write at a page boundary when the process is killed. The
 * next append after the restart would then be glued onto the fragment, and a complete result, the one the
 * broker or the inbox delivered again, would become unreadable as JSON. A newline after the fragment keeps the
 * damage to the fragment itself: one line that is not JSON, logged here, which readers skip. The file is only
 * appended to, never truncated, so tools tailing it are not confused.
 *
 * <p>Only {@code file:} sinks with a fixed {@code fileName} and {@code fileExist=Append} are checked; other
 * sinks write whole messages or are not files.
 */
@ApplicationScoped
public class TornLineRepair {
    private static final Logger LOG = Logger.getLogger(TornLineRepair.class);
    private static final int SHOWN = 200;

    private final List<String> sinkUris;

    @Inject
    public TornLineRepair(VigilConfig config) {
        VigilConfig.Sinks s = config.sink();
        this.sinkUris = List.of(s.critical(), s.high(), s.medium(), s.low(), s.rejected(), s.alerts(),
                s.deadLetter());
    }

    /** Ends every torn last line with a newline; returns the files it repaired. */
    public List<Path> repair() {
        List<Path> repaired = new ArrayList<>();
        for (Path file : appendedFiles(sinkUris)) {
            try {
                if (terminate(file)) {
                    repaired.add(file);
                }
            } catch (IOException e) {
                LOG.warnf("Could not check sink file %s for a torn last line: %s", file, e.toString());
            }
        }
        return repaired;
    }

    /** The files that {@code file:} sink URIs append to (each once). */
    static Set<Path> appendedFiles(List<String> uris) {
        Set<Path> files = new LinkedHashSet<>();
        for (String uri : uris) {
            Path file = appendedFile(uri);
            if (file != null) {
                files.add(file);
            }
        }
        return files;
    }

    /**
     * The file a {@code file:} sink URI appends to, or null: not a file sink, not appending, or a name with an
     * expression ({@code ${date:...}}), which is a new file per value, so nothing older is appended to.
     */
    static Path appendedFile(String uri) {
        if (!uri.startsWith("file:")) {
            return null;
        }
        int q = uri.indexOf('?');
        String dir = uri.substring("file:".length(), q < 0 ? uri.length() : q);
        if (dir.startsWith("//")) {
            dir = dir.substring(2);
        }
        Map<String, Object> options = parameters(q < 0 ? "" : uri.substring(q + 1));
        String fileName = (String) options.get("fileName");
        boolean append = "Append".equalsIgnoreCase((String) options.get("fileExist"));
        return append && fileName != null && !fileName.isEmpty() && !fileName.contains("${")
                ? Path.of(dir).resolve(fileName) : null;
    }

    /** A URI's query as Camel reads it; an unreadable one names no file to repair. */
    private static Map<String, Object> parameters(String query) {
        try {
            return URISupport.parseQuery(query);
        } catch (URISyntaxException e) {
            return Map.of();
        }
    }

    /** Appends a newline if the file's last byte is not one; true if it did. */
    static boolean terminate(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        long size;
        long fragmentStart;
        String begins;
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            size = c.size();
            if (size == 0 || lastByte(c, size) == '\n') {
                return false;
            }
            fragmentStart = LineEnds.afterLastNewline(c, 0, size);
            begins = read(c, fragmentStart, Math.min(size, fragmentStart + SHOWN));
        }
        // Appended, not written at a position: never over anything another writer may have added meanwhile.
        Files.write(file, new byte[] {'\n'}, StandardOpenOption.APPEND);
        LOG.warnf("Sink file %s ended in a partial line of %d bytes, an append cut off by a crash; ended it with a"
                + " newline so the next results start on a line of their own. The input it came from is delivered"
                + " again by the file inbox, Kafka and JMS. The partial line begins: %s", file, size - fragmentStart,
                begins);
        return true;
    }

    private static byte lastByte(FileChannel c, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        c.read(b, size - 1);
        return b.get(0);
    }

    private static String read(FileChannel c, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) (to - from));
        c.read(b, from);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }
}
