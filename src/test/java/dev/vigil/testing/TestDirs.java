package dev.vigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The inbox, ingest spool, checkpoints and file sinks of one test profile, under {@code target/test-data/<name>},
 * emptied when the profile's application starts. The tests sharing a profile share these folders: each uses its own
 * keys, ids and file names, and reads the sinks from a {@link SinkMark}.
 */
public final class TestDirs {
    private final Path base;

    public TestDirs(String name) {
        // Absolute: the packaged jar started by an IT resolves paths against a working folder of its own.
        this.base = Path.of("target", "test-data", name).toAbsolutePath();
    }

    public Path base() {
        return base;
    }

    public Path inbox() {
        return base.resolve("inbox");
    }

    public Path sink(String name) {
        return base.resolve("out").resolve(name).resolve("results.jsonl");
    }

    public Path checkpoints() {
        return base.resolve("checkpoints");
    }

    public Path ingestSpool() {
        return base.resolve("ingest-spool");
    }

    public Path rejected() {
        return base.resolve("rejected").resolve("rejected.jsonl");
    }

    public Path deadLetter() {
        return base.resolve("dead-letter").resolve("dead-letter.jsonl");
    }

    /** The files of the result sinks (low, medium, high, critical), the rejected sink and the dead letter. */
    public List<Path> sinkFiles() {
        return List.of(sink("low"), sink("medium"), sink("high"), sink("critical"), rejected(), deadLetter());
    }

    /** Deletes what an earlier run left and returns the configuration that points Vigil here. */
    public Map<String, String> overrides() {
        delete(base);
        Map<String, String> c = new HashMap<>();
        c.put("vigil.inbox.dir", inbox().toString());
        c.put("vigil.inbox.poll-delay", "100");
        for (String s : new String[] {"critical", "high", "medium"}) {
            c.put("vigil.sink." + s, fileUri(base.resolve("out").resolve(s), "results.jsonl"));
        }
        c.put("vigil.sink.low", fileUri(base.resolve("out").resolve("low"), "results.jsonl"));
        c.put("vigil.sink.rejected", fileUri(base.resolve("rejected"), "rejected.jsonl"));
        c.put("vigil.sink.dead-letter", fileUri(base.resolve("dead-letter"), "dead-letter.jsonl"));
        c.put("vigil.checkpoint.dir", checkpoints().toString());
        c.put("vigil.http.ingest-spool-dir", ingestSpool().toString());
        c.put("vigil.batch.timeout", "200");
        return c;
    }

    private static String fileUri(Path dir, String file) {
        return "file:" + dir + "?fileName=" + file + "&fileExist=Append";
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
