package dev.vigil.camel.sink;

import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

/**
 * Keeps the rejected and dead-letter files bounded: before a group is appended, a file that has reached
 * {@code vigil.sink.rotate-at-mb} is rotated ({@code rejected.jsonl} becomes {@code rejected.1.jsonl}, the former
 * {@code .1} becomes {@code .2}, and so on), and the oldest beyond {@code vigil.sink.rotate-keep} is deleted. So a
 * client sending invalid points, or a sink failing for days, fills at most {@code (keep + 1) × max} per file. Counted
 * by {@code vigil_sink_file_rotations_total{sink}} and, for what the deleted files held,
 * {@code vigil_sink_file_discarded_bytes_total{sink}}. Result files are Vigil's output and are not rotated here.
 *
 * <p>An append under way when its file is rotated lands in the rotated file (the writer holds it open), so nothing
 * is lost to a rotation; a file may pass the size by the groups appended after the check. Only {@code file:} sinks
 * with a fixed {@code fileName} and {@code fileExist=Append} are rotated, like those {@link TornLineRepair} repairs;
 * other sinks are not files, or start a new file per name. The routes call this before the sink, where a rotation
 * that fails (logged) cannot fail the delivery.
 */
@ApplicationScoped
@Named("fileSinkRotation")
@RegisterForReflection
public class FileSinkRotation {
    private static final Logger LOG = Logger.getLogger(FileSinkRotation.class);
    static final String REJECTED = "rejected";
    static final String DEAD_LETTER = "dead-letter";

    private final Map<String, Path> files = new LinkedHashMap<>();
    private final long maxBytes;
    private final int keep;
    private final VigilMetrics metrics;
    private final Map<Path, Object> locks = new ConcurrentHashMap<>();

    @Inject
    public FileSinkRotation(VigilConfig config, VigilMetrics metrics) {
        this(Map.of(REJECTED, config.sink().rejected(), DEAD_LETTER, config.sink().deadLetter()),
                config.sink().rotateAtMb() * 1024 * 1024, config.sink().rotateKeep(), metrics);
    }

    FileSinkRotation(Map<String, String> sinkUris, long maxBytes, int keep, VigilMetrics metrics) {
        sinkUris.forEach((name, uri) -> {
            Path file = TornLineRepair.appendedFile(uri);
            if (file != null) {
                files.put(name, file);
            }
        });
        this.maxBytes = maxBytes;
        this.keep = Math.max(0, keep);
        this.metrics = metrics;
    }

    /** The rejected route, before it hands its group to the sink. */
    public void rotateRejected(Exchange exchange) {
        rotate(REJECTED);
    }

    /** The dead-letter route, before it appends. */
    public void rotateDeadLetter(Exchange exchange) {
        rotate(DEAD_LETTER);
    }

    /** Rotates the file of {@code sink} if it is at the size; never fails (a file that cannot be rotated grows on). */
    void rotate(String sink) {
        Path file = sink == null ? null : files.get(sink);
        if (file == null || size(file) < maxBytes) {
            return;
        }
        synchronized (locks.computeIfAbsent(file, f -> new Object())) {
            if (size(file) < maxBytes) {
                return; // another thread rotated it meanwhile
            }
            try {
                shift(sink, file);
            } catch (IOException e) {
                LOG.warnf("Cannot rotate sink file %s (it keeps growing until it can): %s", file, e.toString());
            }
        }
    }

    /** {@code name.jsonl} to {@code name.1.jsonl}, each {@code .i} to {@code .i+1}, deleting the one beyond keep. */
    private void shift(String sink, Path file) throws IOException {
        long discarded = 0;
        Path oldest = numbered(file, keep);
        discarded += sizeAndDelete(oldest);
        for (int i = keep - 1; i >= 1; i--) {
            Path from = numbered(file, i);
            if (Files.exists(from)) {
                Files.move(from, numbered(file, i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (keep == 0) {
            discarded += sizeAndDelete(file);
        } else {
            Files.move(file, numbered(file, 1), StandardCopyOption.REPLACE_EXISTING);
        }
        metrics.count("vigil.sink.file.rotations", "Sink files rotated at vigil.sink.rotate-at-mb", "sink", sink);
        if (discarded > 0) {
            metrics.count("vigil.sink.file.discarded.bytes", "Bytes of rotated sink files deleted beyond "
                    + "vigil.sink.rotate-keep", "sink", sink, discarded);
            LOG.infof("Sink file %s rotated; the oldest rotated file (%d bytes) deleted (vigil.sink.rotate-keep=%d)",
                    file, discarded, keep);
        }
    }

    /** {@code results.jsonl} numbered {@code i}: {@code results.i.jsonl}; 0 is the file itself. */
    static Path numbered(Path file, int i) {
        if (i == 0) {
            return file;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numberedName = dot > 0 ? name.substring(0, dot) + "." + i + name.substring(dot) : name + "." + i;
        return file.resolveSibling(numberedName);
    }

    private static long sizeAndDelete(Path file) throws IOException {
        long size = size(file);
        Files.deleteIfExists(file);
        return size;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException absent) {
            return 0;
        }
    }
}
