package dev.vigil.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Prints a thread dump of the test JVM shortly before Surefire or Failsafe kills it for passing its
 * {@code forkedProcessTimeoutInSeconds} (given to the fork as {@code fork-watchdog.timeout}), so the build log shows
 * where a hung test was stuck, and kills the child processes the tests started ({@link VigilProcess}). Nothing
 * happens in a fork that ends in time, or where the property is not set (an IDE run). Registered in
 * META-INF/services; one watchdog per JVM.
 */
public final class ForkWatchdog implements LauncherSessionListener {
    /** The dump comes this long before the kill. */
    static final Duration MARGIN = Duration.ofSeconds(30);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        long timeoutSeconds = Long.getLong("fork-watchdog.timeout", 0);
        if (timeoutSeconds <= 0 || !STARTED.compareAndSet(false, true)) {
            return;
        }
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long dumpAt = jvmStart + Duration.ofSeconds(timeoutSeconds).minus(MARGIN).toMillis();
        Thread watchdog = new Thread(() -> {
            try {
                long wait = dumpAt - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            } catch (InterruptedException e) {
                return;
            }
            System.out.printf(Locale.ROOT, "%nForkWatchdog: this test JVM has run for %d s and will be killed at its fork"
                    + " timeout of %d s: a test hangs. Thread dump:%n%s%n", (System.currentTimeMillis() - jvmStart) / 1000,
                    timeoutSeconds, threadDump());
            System.out.flush();
            // The kill runs no shutdown hook: end the services the tests started now, or they would outlive the build.
            VigilProcess.killAll();
        }, "fork-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Every thread with its full stack and the locks it holds or waits for. */
    static String threadDump() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(t.getThreadName()).append("\" id=").append(t.getThreadId()).append(' ')
                    .append(t.getThreadState());
            if (t.getLockName() != null) {
                dump.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                dump.append(" owned by \"").append(t.getLockOwnerName()).append('"');
            }
            dump.append('\n');
            for (StackTraceElement frame : t.getStackTrace()) {
                dump.append("\tat ").append(frame).append('\n');
            }
            dump.append('\n');
        }
        return dump.toString();
    }
}
