package dev.vigil.camel.source.file;

import dev.vigil.camel.parse.LineBatches;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The inbox files being read, watched: a read that has waited for its file longer than
 * {@code vigil.inbox.stall-timeout} (a hung mount, a file that is one endless line) is stalled. Each stall is logged
 * when it begins and when it ends, counted by the gauge {@code vigil_inbox_reads_stalled} and shown by the
 * {@code vigil-inbox} check of {@code /q/health/well}. Time spent downstream of the read (throttled, scored,
 * written) does not count: only a read waiting for the file is stuck.
 */
@ApplicationScoped
public class InboxReads {
    private static final Logger LOG = Logger.getLogger(InboxReads.class);

    /** A read stalled for {@code seconds}. */
    public record Stall(String file, long seconds) {
    }

    private final long stallNanos;
    private final Set<LineBatches> reading = ConcurrentHashMap.newKeySet();
    private final Set<LineBatches> reported = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watch;
    private final long every;

    @Inject
    public InboxReads(VigilConfig config, VigilMetrics metrics) {
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(config.inbox().stallTimeout());
        metrics.gauge("vigil.inbox.reads.stalled", "Inbox files whose read has waited longer than "
                + "vigil.inbox.stall-timeout", () -> stalled().size());
        this.watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-inbox-watch");
            t.setDaemon(true);
            return t;
        });
        this.every = Math.max(100, Math.min(1_000, config.inbox().stallTimeout() / 4));
        watch.scheduleWithFixedDelay(this::report, every, every, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the inbox's watch thread, every second at most. */
    void onEveryTick(Runnable task) {
        watch.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warnf("Inbox watch task failed (runs again): %s", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        watch.shutdownNow();
    }

    void started(LineBatches read) {
        reading.add(read);
    }

    void ended(LineBatches read) {
        reading.remove(read);
        if (reported.remove(read)) {
            LOG.infof("Inbox file %s: its read is over", read.file());
        }
    }

    /** Whether a read is under way. */
    boolean any() {
        return !reading.isEmpty();
    }

    /** Halts every read under way ({@link LineBatches#halt()}); returns their files. */
    List<String> halt() {
        List<String> files = new ArrayList<>();
        for (LineBatches r : reading) {
            r.halt();
            files.add(r.file());
        }
        return files;
    }

    /** The reads that have waited longer than the stall timeout, with how long. */
    public List<Stall> stalled() {
        List<Stall> stalled = new ArrayList<>();
        for (LineBatches r : reading) {
            long waited = r.readingForNanos();
            if (waited > stallNanos) {
                stalled.add(new Stall(r.file(), TimeUnit.NANOSECONDS.toSeconds(waited)));
            }
        }
        return stalled;
    }

    private void report() {
        for (LineBatches r : reading) {
            long waited = r.readingForNanos();
            if (waited > stallNanos && reported.add(r)) {
                LOG.warnf("Inbox file %s: a read has waited %d ms for the file (vigil.inbox.stall-timeout); the "
                        + "vigil-inbox check of /q/health/well is DOWN while it does", r.file(),
                        TimeUnit.NANOSECONDS.toMillis(waited));
            } else if (waited == 0 && reported.remove(r)) {
                LOG.infof("Inbox file %s: reading again", r.file());
            }
        }
    }
}
