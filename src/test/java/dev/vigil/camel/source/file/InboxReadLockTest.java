package dev.vigil.camel.source.file;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox's read lock on real files: a marker for a file that is there, none for one read and moved meanwhile. */
class InboxReadLockTest {
    @TempDir
    Path inbox;

    @Test
    void acquire_fileThere_grantedWithItsMarker() throws Exception {
        Path file = Files.writeString(inbox.resolve("a.jsonl"), "{}\n");
        try (CamelContext camel = new DefaultCamelContext()) {
            assertTrue(new InboxReadLock().acquireExclusiveReadLock(null, InboxFilesTest.candidate(file),
                    new DefaultExchange(camel)));
        }
        assertTrue(Files.exists(inbox.resolve("a.jsonl.camelLock")));
    }

    /** Listed by a poll, then read and moved by another thread before the poll took it: not read a second time. */
    @Test
    void acquire_fileGoneSinceListed_notGrantedAndNoMarker() throws Exception {
        Path file = Files.writeString(inbox.resolve("b.jsonl"), "{}\n");
        GenericFile<File> listed = InboxFilesTest.candidate(file);
        Files.createDirectories(inbox.resolve(".done"));
        Files.move(file, inbox.resolve(".done").resolve("b.jsonl"));
        try (CamelContext camel = new DefaultCamelContext()) {
            assertFalse(new InboxReadLock().acquireExclusiveReadLock(null, listed, new DefaultExchange(camel)));
        }
        assertFalse(Files.exists(inbox.resolve("b.jsonl.camelLock")));
    }
}
