package dev.vigil.camel.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.service.monitor.VigilMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.component.file.GenericFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the inbox reads and what it moves aside, on real files: FIFOs, links, sizes, unfinished reads, names. */
class InboxFilesTest {
    @TempDir
    Path inbox;
    @TempDir
    Path outside;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private InboxFiles files(long maxBytes) {
        return new InboxFiles(inbox, maxBytes, 3, new VigilMetrics(registry));
    }

    /** {@code path} as Camel's file consumer lists it. */
    static GenericFile<File> candidate(Path path) {
        GenericFile<File> f = new GenericFile<>();
        f.setFile(path.toFile());
        f.setFileNameOnly(path.getFileName().toString());
        f.setAbsoluteFilePath(path.toString());
        f.setDirectory(Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS));
        return f;
    }

    private String reason(String name) throws IOException {
        return Files.readString(inbox.resolve(".error").resolve(name + InboxFiles.REASON), StandardCharsets.UTF_8);
    }

    private double refused(String reason) {
        var c = registry.find("vigil.inbox.files.refused").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private static void mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo " + path);
    }

    /** Opening a FIFO for reading waits for a writer for ever: it must be moved aside without being opened. */
    @Test
    void accept_fifo_movedToErrorUnopenedWithItsReason() throws Exception {
        Path fifo = inbox.resolve("points.csv");
        mkfifo(fifo);
        assertFalse(files(1 << 20).accept(candidate(fifo)));
        assertFalse(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(inbox.resolve(".error/points.csv"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(reason("points.csv").contains("not a regular file"), reason("points.csv"));
        assertEquals(1, refused("not_regular"));
    }

    /** A link is never followed, whether to a device that never ends or to a file outside the inbox. */
    @Test
    void accept_symlinks_refusedNotFollowed() throws Exception {
        Path secret = Files.writeString(outside.resolve("secret.jsonl"), "{\"t\":1}\n");
        Files.createSymbolicLink(inbox.resolve("zero.jsonl"), Path.of("/dev/zero"));
        Files.createSymbolicLink(inbox.resolve("outside.jsonl"), secret);
        InboxFiles files = files(1 << 20);
        assertFalse(files.accept(candidate(inbox.resolve("zero.jsonl"))));
        assertFalse(files.accept(candidate(inbox.resolve("outside.jsonl"))));
        assertTrue(Files.isSymbolicLink(inbox.resolve(".error/outside.jsonl")));
        assertTrue(Files.exists(secret), "the file the link pointed to is untouched");
        assertTrue(reason("zero.jsonl").contains("symbolic link"));
        assertEquals(2, refused("symlink"));
    }

    @Test
    void accept_fileOverTheLimit_refused_fileWithinIt_accepted() throws Exception {
        Path big = Files.write(inbox.resolve("big.jsonl"), new byte[101]);
        Path small = Files.write(inbox.resolve("small.jsonl"), new byte[100]);
        InboxFiles files = files(100);
        assertFalse(files.accept(candidate(big)));
        assertTrue(files.accept(candidate(small)));
        assertTrue(reason("big.jsonl").contains("101 bytes"), reason("big.jsonl"));
    }

    /** Names the inbox does not read are the include pattern's business: not moved, whatever they are. */
    @Test
    void accept_otherNames_leftAlone() throws Exception {
        Path fifo = inbox.resolve("notes.txt");
        mkfifo(fifo);
        assertTrue(files(1 << 20).accept(candidate(fifo)));
        assertTrue(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * A file whose reading began three times and never finished (each "run" here is a new instance over the same
     * folder, as after a crash) is refused on the fourth: a file that kills the service does not do so at every
     * start. One that finished is not counted.
     */
    @Test
    void accept_readsBegunAndNeverFinished_refusedAtTheLimit() throws Exception {
        Path poison = Files.writeString(inbox.resolve("poison.jsonl"), "{\"t\":1}\n");
        Path fine = Files.writeString(inbox.resolve("fine.jsonl"), "{\"t\":1}\n");
        for (int run = 0; run < 3; run++) {
            InboxFiles files = files(1 << 20);
            assertTrue(files.accept(candidate(poison)), "run " + run);
            files.begin("poison.jsonl");
            files.begin("fine.jsonl");
            files.finished("fine.jsonl", null);
        }
        InboxFiles fourth = files(1 << 20);
        assertFalse(fourth.accept(candidate(poison)));
        assertTrue(fourth.accept(candidate(fine)));
        assertTrue(reason("poison.jsonl").contains("began 3 times"), reason("poison.jsonl"));
        assertEquals(1, refused("unfinished_reads"));
    }

    /**
     * Camel asks the filter about every file of the folder on every poll, the one being read included (its in-progress
     * check comes after the filter). The read that reaches the limit, and a file that grows past the size while read,
     * must not be moved from under their reader: the filter judges them again only once their read is over.
     */
    @Test
    void accept_fileBeingRead_neverMovedFromUnderItsReader() throws Exception {
        Path poison = Files.writeString(inbox.resolve("poison.jsonl"), "{\"t\":1}\n");
        for (int run = 0; run < 2; run++) {
            files(1 << 20).begin("poison.jsonl");
        }
        InboxFiles third = files(8);
        assertTrue(third.accept(candidate(poison)));
        third.begin("poison.jsonl");
        Files.writeString(poison, "{\"t\":2}\n".repeat(10), StandardOpenOption.APPEND);
        assertTrue(third.accept(candidate(poison)), "a file being read is left to its reader");
        assertTrue(Files.exists(poison));
        third.finished("poison.jsonl", null);
        assertFalse(Files.exists(inbox.resolve(InboxFiles.READING)), "the last read over, no marker folder is left");
        assertFalse(third.accept(candidate(poison)), "once read, a file over the size is refused");
    }

    /** A stop halted the read, not the file: it does not count. */
    @Test
    void interrupted_readsHaltedByAStop_doNotCount() throws Exception {
        Path file = Files.writeString(inbox.resolve("long.csv"), "a\n1\n");
        for (int run = 0; run < 5; run++) {
            InboxFiles files = files(1 << 20);
            assertTrue(files.accept(candidate(file)), "run " + run);
            files.begin("long.csv");
            files.interrupted(List.of("long.csv"));
        }
    }

    /** A second file of a name already in .done (or .error) does not overwrite the first: that one is renamed. */
    @Test
    void begin_sameNameAlreadyDone_earlierFileKept() throws Exception {
        Path done = Files.createDirectories(inbox.resolve(".done"));
        Files.writeString(done.resolve("day.csv"), "first\n");
        Files.writeString(inbox.resolve("day.csv"), "second\n");
        files(1 << 20).begin("day.csv");
        assertFalse(Files.exists(done.resolve("day.csv")), "room made for the second");
        try (Stream<Path> all = Files.list(done)) {
            List<Path> kept = all.toList();
            assertEquals(1, kept.size());
            assertTrue(kept.get(0).getFileName().toString().matches("day-\\d{8}T\\d{6}\\.\\d{3}Z\\.csv"), kept.toString());
            assertEquals("first\n", Files.readString(kept.get(0)));
        }
    }
}
