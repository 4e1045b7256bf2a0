package dev.vigil.service.checkpoint;

import dev.vigil.service.storage.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Checkpoint files on disk: one folder per entity key, the newest {@code keep} files in it. Folder names are the
 * key's safe characters (for the operator) and a hash of the key (for uniqueness and length); file names are an
 * increasing sequence, so the newest sorts last. Files are written with {@link AtomicFiles}: a crash leaves the old
 * checkpoint or the new one, never half of one. The store knows the bytes each key folder holds, so that
 * {@link CheckpointRetention} can keep the folder within its budget; a folder is written and removed under the same
 * lock, never both at once.
 */
final class CheckpointStore {
    static final String SUFFIX = ".vck";
    private static final int READABLE_PREFIX = 40;

    private final Path dir;
    private final int keep;
    private final AtomicLong sequence;
    /** Newest sequence per key folder that holds a checkpoint. */
    private final Map<String, Long> newest = new ConcurrentHashMap<>();
    /** The same, ordered by sequence: the key folders least recently written first. */
    private final ConcurrentSkipListSet<Written> byAge = new ConcurrentSkipListSet<>();
    /** Bytes of the checkpoint files per key folder, and of all of them. */
    private final Map<String, Long> bytes = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();
    private final Object[] folderLocks = new Object[64];

    /** Opens {@code dir}, creating it, and reads which keys it holds; fails when the folder cannot be used. */
    CheckpointStore(Path dir, int keep) throws IOException {
        this.dir = dir;
        this.keep = Math.max(1, keep);
        initLocks();
        Files.createDirectories(dir);
        long max = 0;
        try (Stream<Path> folders = Files.list(dir)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                String name = folder.getFileName().toString();
                for (Path f : files(folder)) {
                    written(name, sequenceOf(f));
                    max = Math.max(max, sequenceOf(f));
                }
                AtomicFiles.deleteTemporaries(folder);
                resized(name, sizeOf(folder));
            }
        }
        this.sequence = new AtomicLong(Math.max(max, System.currentTimeMillis() * 1000));
    }

    private void initLocks() {
        for (int i = 0; i < folderLocks.length; i++) {
            folderLocks[i] = new Object();
        }
    }

    private Object lockOf(String folderName) {
        return folderLocks[Math.floorMod(folderName.hashCode(), folderLocks.length)];
    }

    /**
     * A store over a folder that could not be opened at start: it knows no keys, so none is restored eagerly, but
     * every write tries the folder again (creating it), and a key's files are still found on its first point.
     */
    private CheckpointStore(Path dir, int keep, long sequence) {
        this.dir = dir;
        this.keep = Math.max(1, keep);
        this.sequence = new AtomicLong(sequence);
        initLocks();
    }

    static CheckpointStore unopened(Path dir, int keep) {
        return new CheckpointStore(dir, keep, System.currentTimeMillis() * 1000);
    }

    Path dir() {
        return dir;
    }

    /** Looks at the disk when this process has not seen the key: on a shared volume another instance may have written it. */
    boolean has(String key) {
        String folder = folderName(key);
        return newest.containsKey(folder) || Files.isDirectory(dir.resolve(folder));
    }

    /** Writes {@code bytes} as the newest checkpoint of {@code key}, then deletes all but the newest {@code keep}. */
    void write(String key, byte[] content) throws IOException {
        String folderName = folderName(key);
        Path folder = dir.resolve(folderName);
        synchronized (lockOf(folderName)) {
            Files.createDirectories(folder);
            long seq = nextSequence(folder);
            String name = String.format("%019d", seq) + SUFFIX;
            AtomicFiles.write(folder.resolve(name), content);
            written(folderName, seq);
            List<Path> all = files(folder);
            for (int i = 0; i < all.size() - keep; i++) {
                Files.deleteIfExists(all.get(i));
            }
            resized(folderName, sizeOf(folder));
        }
    }

    /**
     * Removes a key folder and its checkpoints, unless it was written at or after {@code writtenBefore} (a sequence):
     * the key came back meanwhile. Returns whether it was removed.
     */
    boolean remove(String folderName, long writtenBefore) throws IOException {
        synchronized (lockOf(folderName)) {
            Long seq = newest.get(folderName);
            if (seq != null && seq >= writtenBefore) {
                return false;
            }
            Path folder = dir.resolve(folderName);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> all = Files.list(folder)) {
                    for (Path f : all.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(folder);
            }
            if (seq != null) {
                newest.remove(folderName);
                byAge.remove(new Written(seq, folderName));
            }
            Long freed = bytes.remove(folderName);
            if (freed != null) {
                totalBytes.addAndGet(-freed);
            }
            return true;
        }
    }

    /** A key folder and the sequence of its newest checkpoint; ordered by that, then by name. */
    record Written(long sequence, String folder) implements Comparable<Written> {
        @Override
        public int compareTo(Written o) {
            int c = Long.compare(sequence, o.sequence);
            return c != 0 ? c : folder.compareTo(o.folder);
        }
    }

    /** The key folders holding checkpoints, least recently written first (a live view, not a copy). */
    Iterable<Written> oldestFirst() {
        return byAge;
    }

    /** Records that {@code folder} holds a checkpoint of sequence {@code seq}, if newer than the one it had. */
    private void written(String folder, long seq) {
        Long before = newest.get(folder);
        if (before == null || seq > before) {
            newest.put(folder, seq);
            if (before != null) {
                byAge.remove(new Written(before, folder));
            }
            byAge.add(new Written(seq, folder));
        }
    }

    /** Bytes of all checkpoint files. */
    long totalBytes() {
        return totalBytes.get();
    }

    /** Key folders holding checkpoints. */
    int keys() {
        return newest.size();
    }

    /** The sequence of a checkpoint written at {@code epochMillis}: sequences follow the clock, in microseconds. */
    static long sequenceAt(long epochMillis) {
        return epochMillis * 1000;
    }

    private void resized(String folderName, long size) {
        Long before = bytes.put(folderName, size);
        totalBytes.addAndGet(size - (before == null ? 0 : before));
    }

    private static long sizeOf(Path folder) throws IOException {
        long size = 0;
        for (Path f : files(folder)) {
            try {
                size += Files.size(f);
            } catch (NoSuchFileException gone) {
                // deleted meanwhile
            }
        }
        return size;
    }

    /**
     * A sequence above every file already in {@code folder} and above this process's last one, and otherwise the
     * clock in microseconds: on a shared volume, the instance that takes a key over writes after the one that let
     * it go, so its files must sort after that one's whatever the two processes' counters say.
     */
    private long nextSequence(Path folder) throws IOException {
        List<Path> existing = files(folder);
        long afterFolder = existing.isEmpty() ? 0 : sequenceOf(existing.get(existing.size() - 1)) + 1;
        long floor = Math.max(afterFolder, System.currentTimeMillis() * 1000);
        return sequence.updateAndGet(s -> Math.max(s + 1, floor));
    }

    /** The checkpoints of {@code key}, newest first. */
    List<Path> newestFirst(String key) throws IOException {
        Path folder = dir.resolve(folderName(key));
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> all = new ArrayList<>(files(folder));
        java.util.Collections.reverse(all);
        return all;
    }

    /** The newest checkpoint of every key folder, most recently written first. */
    List<Path> newestOfEveryKey() throws IOException {
        List<Path> result = new ArrayList<>();
        newest.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> result.add(dir.resolve(e.getKey())));
        List<Path> files = new ArrayList<>(result.size());
        for (Path folder : result) {
            List<Path> all = files(folder);
            if (!all.isEmpty()) {
                files.add(all.get(all.size() - 1));
            }
        }
        return files;
    }

    /** The other checkpoints of the folder {@code file} is in, newest first, for when it is refused. */
    List<Path> olderThan(Path file) throws IOException {
        List<Path> older = new ArrayList<>();
        for (Path f : files(file.getParent())) {
            if (sequenceOf(f) < sequenceOf(file)) {
                older.add(0, f);
            }
        }
        return older;
    }

    static String folderName(String key) {
        StringBuilder readable = new StringBuilder();
        for (int i = 0; i < key.length() && readable.length() < READABLE_PREFIX; i++) {
            char c = key.charAt(i);
            readable.append(c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_') ? c : '_');
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return readable + "-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The checkpoint files of a folder, oldest first. */
    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)
                    && !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    private static long sequenceOf(Path file) {
        String name = file.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
