package dev.vigil.camel.source.file;

import dev.vigil.camel.parse.LineBatches;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.jboss.logging.Logger;

/**
 * Which inbox files are read, and what becomes of the others: the route's file filter ({@code filter: "#inboxFiles"}),
 * asked about every file of the folder on every poll before it is locked or opened. Of the names the inbox reads
 * ({@link LineBatches#supports}), it refuses
 * <ul>
 * <li>anything but a regular file: a symbolic link (never followed, wherever it points), a FIFO, socket or device
 * (opening a FIFO waits for a writer for ever; a device such as {@code /dev/zero} never ends),</li>
 * <li>a file over {@code vigil.inbox.max-file-mb},</li>
 * <li>a file whose reading began {@code vigil.inbox.max-attempts} times and never finished: the service stopped or
 * crashed each time, so reading it again would only do that again.</li>
 * </ul>
 * A refused file is moved (renamed, never opened) to {@code .error}, with its reason beside it in
 * {@code <name>.reason.txt}, one log line and the counter {@code vigil_inbox_files_refused_total{reason}}; the next
 * poll does not see it again. A file that fails while it is read goes to {@code .error} too, with its reason.
 *
 * <p>Reads in progress are marked on disk ({@code .reading/<name>}, the number of reads begun), since only the disk
 * remembers a read a crash interrupted. And nothing in {@code .done} or {@code .error} is overwritten: when a file of
 * the same name is read again, the one already there is renamed with its modification time.
 */
@ApplicationScoped
@Named("inboxFiles")
@RegisterForReflection
public class InboxFiles implements GenericFileFilter<File> {
    private static final Logger LOG = Logger.getLogger(InboxFiles.class);
    static final String DONE = ".done";
    static final String ERROR = ".error";
    static final String READING = ".reading";
    static final String REASON = ".reason.txt";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path inbox;
    private final long maxBytes;
    private final int maxAttempts;
    private final VigilMetrics metrics;
    /** Reads begun and not finished, by file name, as on disk in {@code .reading}. */
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    /** Files this process is reading now: Camel asks the filter about them on every poll too. */
    private final Set<String> reading = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    @Inject
    public InboxFiles(VigilConfig config, VigilMetrics metrics) {
        this(Path.of(config.inbox().dir()), config.inbox().maxFileMb() * 1024 * 1024, config.inbox().maxAttempts(),
                metrics);
    }

    InboxFiles(Path inbox, long maxBytes, int maxAttempts, VigilMetrics metrics) {
        this.inbox = inbox;
        this.maxBytes = maxBytes;
        this.maxAttempts = maxAttempts;
        this.metrics = metrics;
        loadAttempts();
    }

    /** Largest file read, in bytes. */
    long maxBytes() {
        return maxBytes;
    }

    /** Reads of files an earlier run began and did not finish; markers of files no longer in the inbox are dropped. */
    private void loadAttempts() {
        Path reading = inbox.resolve(READING);
        if (!Files.isDirectory(reading)) {
            return;
        }
        try (Stream<Path> markers = Files.list(reading)) {
            for (Path marker : markers.toList()) {
                String name = marker.getFileName().toString();
                if (Files.exists(inbox.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                    attempts.put(name, count(marker));
                } else {
                    Files.deleteIfExists(marker);
                }
            }
        } catch (IOException e) {
            LOG.warnf("Cannot read the unfinished reads in %s (%s); files are read as if new", reading, e.toString());
        }
    }

    private static int count(Path marker) {
        try {
            return Integer.parseInt(Files.readString(marker, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return 1;
        }
    }

    /** The service is stopping: no file is taken any more (each stays where it is for the next start). */
    void takeNoMore() {
        stopping = true;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        if (stopping) {
            return false;
        }
        String name = file.getFileNameOnly();
        if (file.isDirectory() || !LineBatches.supports(name)) {
            return true; // not ours to judge: the route's include pattern decides
        }
        if (reading.contains(name)) {
            // Being read (Camel's in-progress check, after this filter, skips it): never moved from under its reader,
            // though its read count may have reached the limit or it may have grown past the size meanwhile.
            return true;
        }
        Path path = file.getFile().toPath();
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException gone) {
            return false;
        }
        String reason;
        String label;
        if (a.isSymbolicLink()) {
            label = "symlink";
            reason = "a symbolic link: the inbox reads regular files only, never what a link points to";
        } else if (!a.isRegularFile()) {
            label = "not_regular";
            reason = a.isDirectory() ? "a directory" : "not a regular file (a FIFO, socket or device)";
        } else if (a.size() > maxBytes) {
            label = "too_large";
            reason = a.size() + " bytes, over vigil.inbox.max-file-mb (" + maxBytes / (1024 * 1024) + " MiB)";
        } else if (attempts.getOrDefault(name, 0) >= maxAttempts) {
            label = "unfinished_reads";
            reason = "reading it began " + attempts.get(name) + " times and never finished: the service stopped or "
                    + "crashed each time (vigil.inbox.max-attempts)";
        } else {
            return true;
        }
        refuse(path, name, label, reason);
        return false;
    }

    private void refuse(Path path, String name, String label, String reason) {
        try {
            Path error = Files.createDirectories(inbox.resolve(ERROR));
            makeRoom(error, name);
            Files.move(path, error.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            writeReason(error, name, reason);
            clearAttempts(name);
            metrics.count("vigil.inbox.files.refused", "Inbox files moved to .error unread, by reason", "reason", label);
            LOG.warnf("Inbox file %s refused and moved to %s: %s", name, ERROR, reason);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the refused inbox file " + name + " (" + reason + ") to "
                    + ERROR, e);
        }
    }

    /**
     * A read of {@code name} begins: counted on disk, and any earlier file of that name in {@code .done} or
     * {@code .error} renamed, so that this one's move overwrites nothing.
     */
    void begin(String name) throws IOException {
        reading.add(name);
        writeAttempts(name, attempts.merge(name, 1, Integer::sum));
        makeRoom(inbox.resolve(DONE), name);
        makeRoom(inbox.resolve(ERROR), name);
    }

    /** The read of {@code name} is over (the file moves to .done, or to .error when {@code failure} is not null). */
    void finished(String name, Throwable failure) {
        reading.remove(name);
        clearAttempts(name);
        if (failure != null) {
            try {
                writeReason(Files.createDirectories(inbox.resolve(ERROR)), name, "it failed while it was read: "
                        + failure);
            } catch (IOException e) {
                LOG.warnf("Cannot write why inbox file %s failed: %s", name, e.toString());
            }
        }
    }

    /**
     * Forgets the unfinished reads of {@code names}: a graceful stop, not the file, ended them, and they are read
     * again at the next start without counting against {@code vigil.inbox.max-attempts}.
     */
    void interrupted(Iterable<String> names) {
        for (String name : names) {
            reading.remove(name);
            Integer left = attempts.computeIfPresent(name, (n, count) -> count <= 1 ? null : count - 1);
            if (left == null) {
                clearAttempts(name);
            } else {
                try {
                    writeAttempts(name, left);
                } catch (IOException e) {
                    LOG.debugf("Cannot update the read count of %s: %s", name, e);
                }
            }
        }
    }

    /** Markers are written and cleared under one lock: the folder of the last one cleared goes with it. */
    private synchronized void writeAttempts(String name, int count) throws IOException {
        Path reading = Files.createDirectories(inbox.resolve(READING));
        Files.writeString(reading.resolve(name), Integer.toString(count), StandardCharsets.US_ASCII);
    }

    /** Forgets the reads of {@code name}; with the last marker, the {@code .reading} folder goes (the inbox is left clean). */
    private synchronized void clearAttempts(String name) {
        attempts.remove(name);
        Path reading = inbox.resolve(READING);
        try {
            Files.deleteIfExists(reading.resolve(name));
            if (Files.isDirectory(reading, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> left = Files.list(reading)) {
                    if (left.findAny().isEmpty()) {
                        Files.deleteIfExists(reading);
                    }
                }
            }
        } catch (IOException e) {
            LOG.debugf("Cannot delete the read marker of %s: %s", name, e);
        }
    }

    /** Renames {@code folder/name} (and its reason) with its modification time, if there is one. */
    static void makeRoom(Path folder, String name) throws IOException {
        Path existing = folder.resolve(name);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(existing, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException none) {
            return;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String stamp = STAMP.format(Instant.ofEpochMilli(a.lastModifiedTime().toMillis()));
        Path aside = folder.resolve(stem + "-" + stamp + ext);
        for (int i = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); i++) {
            aside = folder.resolve(stem + "-" + stamp + "-" + i + ext);
        }
        Files.move(existing, aside, StandardCopyOption.ATOMIC_MOVE);
        Path reason = folder.resolve(name + REASON);
        if (Files.exists(reason, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(reason, folder.resolve(aside.getFileName() + REASON), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void writeReason(Path error, String name, String reason) throws IOException {
        Files.writeString(error.resolve(name + REASON), Instant.now() + " " + reason + "\n", StandardCharsets.UTF_8);
    }
}
