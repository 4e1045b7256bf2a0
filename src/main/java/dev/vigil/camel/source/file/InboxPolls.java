package dev.vigil.camel.source.file;

import dev.vigil.service.config.VigilConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.service.ServiceSupport;
import org.jboss.logging.Logger;

/**
 * When the inbox polls its folder: as soon as a file appears in it, and every {@code vigil.inbox.poll-delay} ms
 * besides (the route's {@code scheduler: "#inboxPolls"}). Camel's file consumer polls on a timer only, so a file
 * dropped just after a poll waited up to a whole delay (500 ms by default) before its first line was read. The
 * folder's own creation events (inotify on Linux) wake the poll at once. The timer stays, for file systems that send
 * no events (a network volume written by another machine) and anything the events miss: an event only shortens the
 * wait, it is never the only way a file is found.
 *
 * <p>One thread runs every poll, so polls never overlap, as with Camel's own scheduler. Stopping never interrupts a
 * poll under way (an interrupt would close the file channels it reads): it wakes the wait and lets the poll finish.
 */
@Dependent
@Named("inboxPolls")
@RegisterForReflection
public class InboxPolls extends ServiceSupport implements ScheduledPollConsumerScheduler {
    private static final Logger LOG = Logger.getLogger(InboxPolls.class);
    /** How long stopping waits for a poll under way; a poll only lists the folder and hands files on. */
    private static final long STOP_WAIT_MILLIS = 10_000;

    private final Path folder;
    private final long delayMillis;
    private CamelContext camelContext;
    private volatile Runnable task;
    private Thread poller;
    private WatchService events;
    private CountDownLatch stopped;

    @Inject
    public InboxPolls(VigilConfig config) {
        this(Path.of(config.inbox().dir()), config.inbox().pollDelay());
    }

    InboxPolls(Path folder, long delayMillis) {
        this.folder = folder;
        this.delayMillis = delayMillis;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void onInit(Consumer consumer) {
        // the folder comes from the same setting as the route's uri; nothing to take from the consumer
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
    }

    @Override
    public void unscheduleTask() {
        this.task = null;
    }

    @Override
    public synchronized void startScheduler() {
        if (poller != null) {
            return;
        }
        events = watch(folder);
        stopped = new CountDownLatch(1);
        poller = new Thread(this::pollUntilStopped, "vigil-inbox-poll");
        poller.setDaemon(true);
        poller.start();
    }

    @Override
    public synchronized boolean isSchedulerStarted() {
        return poller != null;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (poller == null) {
            return;
        }
        stopped.countDown();
        if (events != null) {
            events.close(); // wakes a wait on the events
        }
        poller.join(STOP_WAIT_MILLIS);
        if (poller.isAlive()) {
            LOG.warnf("The inbox's poll of %s did not finish within %d ms of the stop; it ends on its own", folder,
                    STOP_WAIT_MILLIS);
        }
        poller = null;
        events = null;
    }

    private void pollUntilStopped() {
        WatchService watched = events;
        CountDownLatch stop = stopped;
        while (stop.getCount() > 0) {
            Runnable poll = task;
            if (poll != null) {
                try {
                    poll.run(); // Camel's poll: it reports its own failures
                } catch (RuntimeException | Error e) {
                    // This thread is the inbox's only poller: it must outlive any one poll, as Camel's own does.
                    LOG.errorf(e, "A poll of the inbox %s failed; the next one goes on", folder);
                }
            }
            if (!awaitChange(watched, stop)) {
                return;
            }
        }
    }

    /** Waits until a file appears in the folder or the delay passes; false once stopped. */
    private boolean awaitChange(WatchService watched, CountDownLatch stop) {
        try {
            if (watched == null) {
                return !stop.await(delayMillis, TimeUnit.MILLISECONDS);
            }
            WatchKey key = watched.poll(delayMillis, TimeUnit.MILLISECONDS);
            // One poll serves every event that came meanwhile: a file copied in whole sends several.
            while (key != null) {
                key.pollEvents();
                key.reset();
                key = watched.poll();
            }
            return stop.getCount() > 0;
        } catch (ClosedWatchServiceException stopping) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The folder's creation events, or null (polls on the timer alone) when the file system cannot send them. */
    private static WatchService watch(Path folder) {
        WatchService service = null;
        try {
            service = FileSystems.getDefault().newWatchService();
            folder.register(service, StandardWatchEventKinds.ENTRY_CREATE);
            return service;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("The inbox %s cannot be watched for new files (%s); it is polled every vigil.inbox.poll-delay "
                    + "ms only", folder, e.toString());
            if (service != null) {
                try {
                    service.close();
                } catch (IOException ignored) {
                    // nothing was registered with it
                }
            }
            return null;
        }
    }
}
