package dev.vigil.camel.source.file;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.component.file.FileComponent;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.service.ServiceSupport;
import org.jboss.logging.Logger;

/**
 * When a file route polls its folder: as soon as a file appears in it, and every {@code delay} ms besides (a route's
 * {@code scheduler: "#watchedFolder"}, beside its {@code delay}). Camel's file consumer polls on a timer only, so a
 * file dropped just after a poll waited up to a whole delay (the inbox's {@code vigil.inbox.poll-delay}, 500 ms by
 * default) before its first line was read. The folder's own creation events (inotify on Linux) wake the poll at once.
 * The timer stays, for file systems that send no events (a network volume written by another machine) and anything
 * the events miss: an event only shortens the wait, it is never the only way a file is found.
 *
 * <p>One thread runs every poll, so polls never overlap, as with Camel's own scheduler. Stopping never interrupts a
 * poll under way (an interrupt would close the file channels it reads): it wakes the wait and lets the poll finish.
 * Each route gets an instance of its own ({@code @Dependent}): it serves one consumer.
 */
@Dependent
@Named("watchedFolder")
@RegisterForReflection
public class WatchedFolderScheduler extends ServiceSupport implements ScheduledPollConsumerScheduler {
    private static final Logger LOG = Logger.getLogger(WatchedFolderScheduler.class);
    /** How long stopping waits for a poll under way; a poll only lists the folder and hands files on. */
    private static final long STOP_WAIT_MILLIS = 10_000;

    private Path folder;
    private long delayMillis;
    private CamelContext camelContext;
    private volatile Runnable task;
    /** Volatile, not under the lock: a poll may ask whether it is started while a stop waits for that poll. */
    private volatile Thread poller;
    private WatchService events;
    private CountDownLatch stopped;

    public WatchedFolderScheduler() {
    }

    /** Without a consumer: the folder and the delay given (tests). */
    WatchedFolderScheduler(Path folder, long delayMillis) {
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

    /** The consumer's folder and its {@code delay}, which stays the time between polls without events. */
    @Override
    public void onInit(Consumer consumer) {
        if (!(consumer.getEndpoint() instanceof FileEndpoint file)
                || !(consumer instanceof ScheduledPollConsumer polls)) {
            throw new IllegalArgumentException("scheduler #watchedFolder serves file: consumers, not "
                    + consumer.getEndpoint().getEndpointUri());
        }
        folder = file.getFile().toPath();
        delayMillis = polls.getTimeUnit().toMillis(polls.getDelay());
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
        events = watch(folder, delayMillis);
        stopped = new CountDownLatch(1);
        poller = new Thread(this::pollUntilStopped, "vigil-poll-" + folder.getFileName());
        poller.setDaemon(true);
        poller.start();
    }

    @Override
    public boolean isSchedulerStarted() {
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
            LOG.warnf("The poll of %s did not finish within %d ms of the stop; it ends on its own", folder,
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
                    // This thread is the folder's only poller: it must outlive any one poll, as Camel's own does.
                    LOG.errorf(e, "A poll of %s failed; the next one goes on", folder);
                }
            }
            if (!awaitChange(watched, stop)) {
                return;
            }
        }
    }

    /** Waits until a file a poll could take appears in the folder, or the delay passes; false once stopped. */
    private boolean awaitChange(WatchService watched, CountDownLatch stop) {
        try {
            if (watched == null) {
                return !stop.await(delayMillis, TimeUnit.MILLISECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
            boolean found = false;
            while (!found) {
                long left = deadline - System.nanoTime();
                WatchKey key = left > 0 ? watched.poll(left, TimeUnit.NANOSECONDS) : null;
                if (key == null) {
                    break; // the timer's poll
                }
                // One poll serves every event that came meanwhile.
                for (; key != null; key = watched.poll()) {
                    for (WatchEvent<?> event : key.pollEvents()) {
                        found |= couldBeTaken(event);
                    }
                    key.reset();
                }
            }
            return stop.getCount() > 0;
        } catch (ClosedWatchServiceException stopping) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether an event may be a file for the route. Not the ones the routes make themselves while they work, each of
     * which would cost a listing of the whole folder: a file's lock marker, hidden temporaries and folders
     * ({@code .done}, {@code .reading}), which Camel's file consumer never takes.
     */
    private static boolean couldBeTaken(WatchEvent<?> event) {
        if (!(event.context() instanceof Path name)) {
            return true; // OVERFLOW: events were lost, look at the folder
        }
        String file = name.toString();
        return !file.startsWith(".") && !file.endsWith(FileComponent.DEFAULT_LOCK_FILE_POSTFIX);
    }

    /** The folder's creation events, or null (polls on the timer alone) when the file system cannot send them. */
    private static WatchService watch(Path folder, long delayMillis) {
        WatchService service = null;
        try {
            service = FileSystems.getDefault().newWatchService();
            folder.register(service, StandardWatchEventKinds.ENTRY_CREATE);
            return service;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("%s cannot be watched for new files (%s); it is polled every %d ms only", folder, e.toString(),
                    delayMillis);
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
