package dev.vigil.camel.source.file;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a file route polls: Camel's own file consumer on a real folder, its poll timer far longer than the test. */
class WatchedFolderSchedulerTest {
    /** Longer than any wait below: a file read within the test was found by its event, not by the timer. */
    private static final long HOUR = 3_600_000;

    @TempDir
    Path inbox;

    /** A file route as the inbox's: its folder and its delay (an hour) come from the route to the scheduler. */
    private CamelContext inboxRoute(List<String> read) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("watchedFolder", new WatchedFolderScheduler());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + inbox + "?scheduler=#watchedFolder&delay=" + HOUR + "&move=.done&readLock=markerFile")
                        .routeId("inbox")
                        .process(e -> read.add(e.getMessage().getHeader("CamelFileName", String.class)));
            }
        });
        camel.start();
        return camel;
    }

    @Test
    void fileDropped_readAtOnceNotAtTheNextTimedPoll() throws Exception {
        List<String> read = new CopyOnWriteArrayList<>();
        try (CamelContext camel = inboxRoute(read)) {
            Files.writeString(inbox.resolve("before.jsonl"), "{}\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> read.contains("before.jsonl"));

            for (int i = 0; i < 3; i++) {
                Files.writeString(inbox.resolve(".tmp"), "{}\n");
                Files.move(inbox.resolve(".tmp"), inbox.resolve("dropped-" + i + ".jsonl"));
                String name = "dropped-" + i + ".jsonl";
                await().atMost(Duration.ofSeconds(10)).until(() -> read.contains(name));
            }
            assertTrue(Files.exists(inbox.resolve(".done").resolve("dropped-2.jsonl")));
        }
    }

    @Test
    void routeRestarted_pollsAgain() throws Exception {
        List<String> read = new CopyOnWriteArrayList<>();
        try (CamelContext camel = inboxRoute(read)) {
            camel.getRouteController().stopRoute("inbox", 10, TimeUnit.SECONDS);
            Files.writeString(inbox.resolve("while-stopped.jsonl"), "{}\n");
            camel.getRouteController().startRoute("inbox");
            await().atMost(Duration.ofSeconds(10)).until(() -> read.contains("while-stopped.jsonl"));
            Files.writeString(inbox.resolve("after.jsonl"), "{}\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> read.contains("after.jsonl"));
        }
    }

    /** A scheduler without a route, its polls started; the caller stops it. */
    private static WatchedFolderScheduler started(Path folder, long delayMillis, Runnable poll) {
        WatchedFolderScheduler scheduler = new WatchedFolderScheduler(folder, delayMillis);
        scheduler.scheduleTask(poll);
        scheduler.start();
        scheduler.startScheduler();
        return scheduler;
    }

    @Test
    void noEvents_timerStillPolls() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        // a folder that does not exist cannot be watched
        WatchedFolderScheduler timed = started(inbox.resolve("missing"), 20, polls::incrementAndGet);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= 5);
        } finally {
            timed.stop();
        }
        int afterStop = polls.get();
        assertFalse(timed.isSchedulerStarted());
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> polls.get() == afterStop);
    }

    @Test
    void pollFails_nextPollsGoOn() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        WatchedFolderScheduler timed = started(inbox, 20, () -> {
            if (polls.incrementAndGet() == 1) {
                throw new IllegalStateException("the first poll fails");
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() >= 3);
        } finally {
            timed.stop();
        }
    }

    /** Each lock marker or temporary the routes make would cost a listing of the whole folder, a backlog's too. */
    @Test
    void lockMarkersAndHiddenFiles_wakeNoPoll() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        WatchedFolderScheduler watching = started(inbox, HOUR, polls::incrementAndGet);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() == 1);
            Files.writeString(inbox.resolve("a.jsonl.camelLock"), "");
            Files.writeString(inbox.resolve(".a.jsonl.tmp"), "");
            Files.createDirectories(inbox.resolve(".done"));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> polls.get() == 1);
            Files.writeString(inbox.resolve("a.jsonl"), "{}\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> polls.get() == 2);
        } finally {
            watching.stop();
        }
    }

    /** An interrupt would close the file channels the poll reads: the stop waits for the poll instead. */
    @Test
    void stop_pollUnderWay_finishesUninterrupted() throws Exception {
        CountDownLatch polling = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        WatchedFolderScheduler polls = started(inbox, HOUR, () -> {
            polling.countDown();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < until) {
                interrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
                Thread.onSpinWait();
            }
            finished.set(true);
        });
        assertTrue(polling.await(10, TimeUnit.SECONDS));
        polls.stop();
        assertTrue(finished.get(), "the stop returned before the poll under way finished");
        assertEquals(false, interrupted.get());
    }
}
