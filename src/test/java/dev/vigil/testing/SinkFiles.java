package dev.vigil.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON-lines file sinks of one Vigil process folder ({@code out/<severity>/results.jsonl},
 * {@code rejected/rejected.jsonl}, {@code dead-letter/dead-letter.jsonl}), read for crash tests: how many lines
 * have been written so far (cheaply, while the process runs), each file's length at a moment (the kill), and the
 * ids of the records in a stretch of the files, with the lines that are not JSON (a write torn by a kill) counted
 * rather than thrown.
 */
public final class SinkFiles {
    public static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Map<Path, Long> counted = new HashMap<>();
    private long lines;

    public SinkFiles(Path processDir) {
        this.dir = processDir;
    }

    /** The sink properties that point a process's sinks at these files. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        for (String s : SEVERITIES) {
            p.put("vigil.sink." + s, uri(results(s)));
        }
        p.put("vigil.sink.rejected", uri(rejected()));
        p.put("vigil.sink.dead-letter", uri(deadLetter()));
        return p;
    }

    public Path results(String severity) {
        return dir.resolve("out").resolve(severity).resolve("results.jsonl");
    }

    public Path rejected() {
        return dir.resolve("rejected").resolve("rejected.jsonl");
    }

    public Path deadLetter() {
        return dir.resolve("dead-letter").resolve("dead-letter.jsonl");
    }

    public List<Path> all() {
        List<Path> files = new ArrayList<>();
        SEVERITIES.forEach(s -> files.add(results(s)));
        files.add(rejected());
        files.add(deadLetter());
        return files;
    }

    /** Lines written to all the files so far; reads only what was appended since the last call. */
    public long linesWritten() throws IOException {
        for (Path f : all()) {
            if (!Files.exists(f)) {
                continue;
            }
            long from = counted.getOrDefault(f, 0L);
            try (FileChannel c = FileChannel.open(f, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
                long at = from;
                int n;
                while ((n = c.read(buffer, at)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buffer.get(i) == '\n') {
                            lines++;
                        }
                    }
                    at += n;
                    buffer.clear();
                }
                counted.put(f, at);
            }
        }
        return lines;
    }

    /** Each file's length now (0 if it does not exist yet). */
    public Map<Path, Long> lengths() throws IOException {
        Map<Path, Long> lengths = new HashMap<>();
        for (Path f : all()) {
            lengths.put(f, Files.exists(f) ? Files.size(f) : 0L);
        }
        return lengths;
    }

    /** Files whose last byte is not a newline: an append cut off by the kill. */
    public List<Path> unterminated() throws IOException {
        List<Path> torn = new ArrayList<>();
        for (Path f : all()) {
            if (Files.exists(f) && Files.size(f) > 0) {
                try (FileChannel c = FileChannel.open(f, StandardOpenOption.READ)) {
                    ByteBuffer last = ByteBuffer.allocate(1);
                    c.read(last, c.size() - 1);
                    if (last.get(0) != '\n') {
                        torn.add(f);
                    }
                }
            }
        }
        return torn;
    }

    /** The byte at {@code position} of {@code file}. */
    public static byte byteAt(Path file, long position) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            if (c.read(b, position) != 1) {
                throw new IOException(file + " has no byte at " + position);
            }
            return b.get(0);
        }
    }

    /** The records between {@code from} and {@code to} (byte offsets per file; null = start, end). */
    public Records read(Map<Path, Long> from, Map<Path, Long> to) throws IOException {
        Records r = new Records();
        for (Path f : all()) {
            if (!Files.exists(f)) {
                continue;
            }
            long start = from == null ? 0 : from.getOrDefault(f, 0L);
            long end = to == null ? Files.size(f) : to.getOrDefault(f, 0L);
            if (end <= start) {
                continue;
            }
            String text = slice(f, start, end);
            int last = text.lastIndexOf('\n');
            String tail = text.substring(last + 1);
            if (!tail.isEmpty()) {
                r.unterminatedTails++;
            }
            for (String line : text.substring(0, last + 1).split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                Map<String, Object> record;
                try {
                    record = JSON.readValue(line, new TypeReference<Map<String, Object>>() { });
                } catch (IOException notJson) {
                    r.unreadable.add(line.length() > 200 ? line.substring(0, 200) + "..." : line);
                    continue;
                }
                Map<String, Integer> target = f.equals(rejected()) ? r.rejected
                        : f.equals(deadLetter()) ? r.deadLetters : r.results;
                Object id = record.get("id");
                target.merge(id == null ? "(no id) " + line : id.toString(), 1, Integer::sum);
            }
        }
        return r;
    }

    private static String slice(Path f, long start, long end) throws IOException {
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(end - start));
            while (b.hasRemaining() && c.read(b, start + b.position()) > 0) {
                // read on
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String uri(Path file) {
        return "file:" + file.getParent() + "?fileName=" + file.getFileName() + "&fileExist=Append";
    }

    /** Times each id occurs, per kind of file, and what could not be read. */
    public static final class Records {
        public final Map<String, Integer> results = new HashMap<>();
        public final Map<String, Integer> rejected = new HashMap<>();
        public final Map<String, Integer> deadLetters = new HashMap<>();
        /** Complete lines that are not JSON (a torn write with the next append glued on). */
        public final List<String> unreadable = new ArrayList<>();
        /** Files whose stretch ends without a newline. */
        public int unterminatedTails;

        /** How often an id occurs as a result or a rejection. */
        public int times(String id) {
            return results.getOrDefault(id, 0) + rejected.getOrDefault(id, 0);
        }
    }
}
