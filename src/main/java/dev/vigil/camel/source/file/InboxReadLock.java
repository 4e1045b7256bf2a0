package dev.vigil.camel.source.file;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.MarkerFileExclusiveReadLockStrategy;
import org.jboss.logging.Logger;

/**
 * The inbox's read lock ({@code exclusiveReadLockStrategy: "#inboxReadLock"}): Camel's marker file, granted only while
 * the file is still there. A poll lists the folder, then takes the files it listed one by one; a file whose read
 * finished in between (moved to {@code .done}, no longer marked in progress) was taken a second time, and that read
 * failed on the missing file and left a false reason in {@code .error}. The more often the folder is polled while
 * files are read (a poll per new file, as the inbox does), the likelier. Not granted, the stale entry is dropped by
 * Camel without a read; so is a file another replica took from a shared folder meanwhile.
 */
@Dependent
@Named("inboxReadLock")
@RegisterForReflection
public class InboxReadLock extends MarkerFileExclusiveReadLockStrategy {
    private static final Logger LOG = Logger.getLogger(InboxReadLock.class);

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file,
            Exchange exchange) throws Exception {
        if (!Files.exists(file.getFile().toPath(), LinkOption.NOFOLLOW_LINKS)) {
            LOG.debugf("Inbox file %s was listed but is gone (read already, or taken by another replica)",
                    file.getFileNameOnly());
            return false;
        }
        return super.acquireExclusiveReadLock(operations, file, exchange);
    }
}
