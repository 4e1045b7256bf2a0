package dev.vigil.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The lengths of a profile's sink files ({@link TestDirs}) at one moment. Tests that share a profile share its
 * files: each marks them when it starts and reads only what was appended after, so it sees its own records and
 * does not parse everything the tests before it wrote.
 */
public final class SinkMark {
    private final Map<Path, Long> lengths = new HashMap<>();

    private SinkMark(List<Path> files) {
        for (Path f : files) {
            try {
                lengths.put(f, Files.exists(f) ? Files.size(f) : 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Marks the result, rejected and dead-letter files of {@code dirs}. */
    public static SinkMark of(TestDirs dirs) {
        return new SinkMark(dirs.sinkFiles());
    }

    /** Marks {@code files}. */
    public static SinkMark of(Path... files) {
        return new SinkMark(List.of(files));
    }

    /** The records appended to {@code files} since the mark; a line still being written is left out. */
    public List<Map<String, Object>> read(Path... files) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Path f : files) {
            lines(f).forEach(line -> records.add(JsonLines.parse(line)));
        }
        return records;
    }

    /** The complete, non-blank lines appended to {@code file} since the mark. */
    public List<String> lines(Path file) {
        List<String> lines = new ArrayList<>();
        forEachLine(file, lines::add);
        return lines;
    }

    /** Calls {@code action} with each complete, non-blank line appended to {@code file} since the mark. */
    public void forEachLine(Path file, Consumer<String> action) {
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(appendedPart(file), StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                if (!line.toString().isBlank()) {
                    action.accept(line.toString());
                }
                line.setLength(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Complete lines appended to {@code file} since the mark. */
    public long lineCount(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        long n = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = appendedPart(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        n++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    private InputStream appendedPart(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        in.skipNBytes(Math.min(lengths.getOrDefault(file, 0L), Files.size(file)));
        return in;
    }
}
