package dev.vigil.camel.source.file;

import dev.vigil.camel.parse.LineBatches;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.point.PointBatch;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.FileConstants;
import org.apache.camel.component.file.GenericFileOnCompletion;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.jboss.logging.Logger;

/**
 * Splits an inbox file into batches while streaming it ({@link LineBatches}): the route's splitter pulls one batch
 * at a time, of at most {@code vigil.batch.size} lines and {@code vigil.inbox.max-batch-chars} characters, while the
 * next one is read and parsed ahead (the parsing overlaps the scoring, instead of waiting between batches). The file
 * name is the client (for throttling and rejections). The file is read to an end that has settled
 * ({@link SettledFileInput}), so lines appended while it is read are read too, and lines appended after it was read
 * go back into the inbox ({@link AppendWatch}); the read is counted while it lasts ({@link InboxFiles}) and watched
 * for stalls ({@link InboxReads}).
 */
@ApplicationScoped
@Named("fileBatches")
@RegisterForReflection
public class FileBatches {
    private static final Logger LOG = Logger.getLogger(FileBatches.class);
    static final String SOURCE = "file";

    private final LineBatches.Bounds bounds;
    private final String defaultKey;
    private final long settleMillis;
    private final InboxFiles files;
    private final InboxReads reads;
    private final AppendWatch appends;

    @Inject
    public FileBatches(VigilConfig config, InboxFiles files, InboxReads reads, VigilMetrics metrics) {
        this.bounds = new LineBatches.Bounds(config.batch().size(), config.inbox().maxBatchChars(),
                config.inbox().maxLineLength());
        this.defaultKey = config.keys().defaultKey();
        this.settleMillis = config.inbox().readLockInterval();
        this.files = files;
        this.reads = reads;
        this.appends = new AppendWatch(Path.of(config.inbox().dir()), config.inbox().maxLineLength(), metrics);
        reads.onEveryTick(appends::check);
    }

    /** The batches of the file the exchange holds (headers {@code CamelFileNameOnly}, {@code CamelFileAbsolutePath}). */
    public Iterator<PointBatch> split(Exchange exchange) throws IOException {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Path path = Path.of(exchange.getMessage().getHeader(FileConstants.FILE_ABSOLUTE_PATH, String.class));
        if (!LineBatches.supports(name)) {
            throw new IllegalArgumentException("unsupported file type: " + name + " (use .csv, .jsonl, .ndjson or .json)");
        }
        SettledFileInput input;
        LineBatches batches;
        try {
            input = new SettledFileInput(path, settleMillis, files.maxBytes());
            batches = new LineBatches(input, name, SOURCE, name, defaultKey, true, bounds).readingAhead();
        } catch (IOException e) {
            files.finished(name, e); // it goes to .error: with its reason
            throw e;
        }
        appends.forget(name);
        files.begin(name);
        reads.started(batches);
        Synchronization finished = new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                reads.ended(batches);
                files.finished(name, done.isFailed() ? done.getException() : null);
                if (!done.isFailed()) {
                    appends.watch(name, input.position());
                }
            }
        };
        exchange.getExchangeExtension().addOnCompletion(finished);
        // Halted by a stop: the exchange ends without the file consumer's completion (handed to an exchange that never
        // completes), so the file is neither moved to .done (it was not read to its end) nor to .error: it stays in the
        // inbox, and is read again at the next start (its lock marker is an orphan then, which Camel deletes at start).
        batches.whenHalted(() -> {
            reads.ended(batches);
            exchange.getUnitOfWork().handoverSynchronization(new DefaultExchange(exchange.getContext()),
                    s -> s == finished || s instanceof GenericFileOnCompletion);
        });
        return batches;
    }

    /**
     * At a graceful stop, before the sources stop: no new file is taken, the reads under way get {@code finishMillis}
     * to finish, and those still under way then end at once (within one batch), leaving their files in the inbox to be
     * read again at the next start: the stop stays within the pod's grace period whatever the size of a file. A stop,
     * not the file, ended them, so they do not count against {@code vigil.inbox.max-attempts}.
     */
    public void stopping(long finishMillis) throws InterruptedException {
        files.takeNoMore();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(finishMillis);
        while (reads.any() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        List<String> halted = reads.halt();
        if (!halted.isEmpty()) {
            LOG.infof("Inbox files %s were still being read %d ms into the stop: left in the inbox, read again at the"
                    + " next start", halted, finishMillis);
        }
        files.interrupted(halted);
    }
}
