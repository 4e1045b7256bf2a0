package dev.vigil.service.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Files that are whole or absent, never half written, and on disk when the call returns: the content goes to a
 * hidden temporary beside the target ({@code .name.tmp}, which file consumers skip), is forced to disk, renamed
 * over the target in one step, and the folder is forced so that the rename itself survives a crash. Checkpoints
 * and the ingest spool are written this way.
 */
public final class AtomicFiles {
    private static final String TEMPORARY = ".tmp";

    private AtomicFiles() {
    }

    /** Writes {@code content} as {@code target}; returns once file and rename are durable. */
    public static void write(Path target, byte[] content) throws IOException {
        Path folder = target.getParent();
        Path tmp = folder.resolve("." + target.getFileName() + TEMPORARY);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        forceFolder(folder);
    }

    /** Makes a rename durable; not every file system can open a folder for this, which is harmless there. */
    private static void forceFolder(Path folder) {
        try (FileChannel d = FileChannel.open(folder, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // e.g. Windows: the rename is still atomic, only its durability is the file system's
        }
    }

    /** Deletes the temporaries a crash left in {@code folder}: never renamed, so never acknowledged. */
    public static void deleteTemporaries(Path folder) throws IOException {
        List<Path> leftovers;
        try (Stream<Path> files = Files.list(folder)) {
            leftovers = files.filter(AtomicFiles::isTemporary).toList();
        }
        for (Path p : leftovers) {
            Files.deleteIfExists(p);
        }
    }

    public static boolean isTemporary(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TEMPORARY);
    }
}
