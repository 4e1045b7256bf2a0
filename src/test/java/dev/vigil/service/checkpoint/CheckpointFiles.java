package dev.vigil.service.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A checkpoint folder as a test outside this package sees it (a process's folder, read while the process is down):
 * a key's files, newest first, and the key and learned-points counter a file holds (read from the file's layout,
 * see {@link CheckpointCodec}, without checking its configuration).
 */
public final class CheckpointFiles {
    private static final int HEADER = 4 + 2 + 4;

    private CheckpointFiles() {
    }

    /** The checkpoint files of {@code key} in {@code dir}, newest first. */
    public static List<Path> newestFirst(Path dir, String key) {
        try {
            return new CheckpointStore(dir, Integer.MAX_VALUE).newestFirst(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The points learned as recorded in the newest checkpoint of every key in {@code dir}, by key. */
    public static Map<String, Long> learnedOfNewest(Path dir) {
        Map<String, Long> learned = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            return learned;
        }
        try (Stream<Path> folders = Files.list(dir)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(folder)) {
                    files.filter(f -> f.getFileName().toString().endsWith(CheckpointStore.SUFFIX)
                            && !f.getFileName().toString().startsWith("."))
                            .max(Path::compareTo)
                            .ifPresent(newest -> {
                                Header h = header(newest);
                                learned.put(h.key(), h.learned());
                            });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return learned;
    }

    /** The key and the learned-points counter of one checkpoint file. */
    public record Header(String key, long learned) {
    }

    public static Header header(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, HEADER, bytes.length - HEADER));
            in.readUTF(); // configuration fingerprint
            String key = in.readUTF();
            int features = in.readInt();
            for (int i = 0; i < features; i++) {
                in.readUTF();
            }
            return new Header(key, in.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException("not a readable checkpoint: " + file, e);
        }
    }
}
