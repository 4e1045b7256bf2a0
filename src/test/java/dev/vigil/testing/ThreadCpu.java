package dev.vigil.testing;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * CPU time of this JVM split by who spent it, for benchmarks that run Vigil, an in-JVM broker and their own clients
 * in one process: a snapshot of every live thread's CPU time, grouped by a classifier of thread names. What no live
 * Java thread accounts for is split, where Linux's {@code /proc/self/task} shows the JVM's own threads, into
 * {@value #JIT}, {@value #GC} and {@value #JVM}.
 */
public final class ThreadCpu {
    public static final String JIT = "JIT compilers";
    public static final String GC = "garbage collector";
    public static final String JVM = "rest of the JVM and ended threads";
    /** One of Linux's clock ticks (USER_HZ, 100 a second), the unit of a thread's CPU time in {@code /proc}. */
    private static final long TICK_NANOS = 10_000_000;

    private final Map<Long, Long> byThread = new TreeMap<>();
    private final Map<Long, String> names = new TreeMap<>();
    private final long process;
    private final long compiling;
    private final long collecting;

    private ThreadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(t.getThreadId());
            if (cpu >= 0) {
                byThread.put(t.getThreadId(), cpu);
                names.put(t.getThreadId(), t.getThreadName());
            }
        }
        process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long[] jvm = nativeThreads();
        compiling = jvm[0];
        collecting = jvm[1];
    }

    /** CPU nanoseconds of the JIT's and of the garbage collector's threads so far, from {@code /proc}; or zeros. */
    private static long[] nativeThreads() {
        long[] spent = new long[2];
        File[] tasks = new File("/proc/self/task").listFiles();
        for (File task : tasks == null ? new File[0] : tasks) {
            try {
                String name = Files.readString(task.toPath().resolve("comm")).strip();
                int kind = name.contains("CompilerThre") ? 0
                        : name.startsWith("GC Thread") || name.startsWith("G1 ") ? 1 : -1;
                if (kind >= 0) {
                    // Fields after the command's closing parenthesis: state is 3rd, utime 14th, stime 15th.
                    String stat = Files.readString(task.toPath().resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    spent[kind] += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
                }
            } catch (IOException | RuntimeException ended) {
                // The thread ended between the listing and the read: its time counts as the JVM's rest.
            }
        }
        return spent;
    }

    public static ThreadCpu now() {
        return new ThreadCpu();
    }

    /**
     * Nanoseconds of CPU per group since {@code before}, largest first; then {@value #JIT}, {@value #GC} and
     * {@value #JVM}.
     */
    public Map<String, Long> since(ThreadCpu before, Function<String, String> group) {
        Map<String, Long> sums = new TreeMap<>();
        long threads = 0;
        for (Map.Entry<Long, Long> e : byThread.entrySet()) {
            long spent = e.getValue() - before.byThread.getOrDefault(e.getKey(), 0L);
            sums.merge(group.apply(names.get(e.getKey())), spent, Long::sum);
            threads += spent;
        }
        Map<String, Long> ordered = new LinkedHashMap<>();
        sums.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        long jit = compiling - before.compiling;
        long gc = collecting - before.collecting;
        ordered.put(JIT, jit);
        ordered.put(GC, gc);
        ordered.put(JVM, Math.max(0, process - before.process - threads - jit - gc));
        return ordered;
    }

    /** "group 12.3 µs, ..." per point, for a benchmark's printout. */
    public static String perPoint(Map<String, Long> spent, int points) {
        StringBuilder out = new StringBuilder();
        spent.forEach((g, nanos) -> out.append(out.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %.1f", g, nanos / 1e3 / points)));
        return out.append(" µs CPU per point").toString();
    }

    /** Thread groups of a Quarkus test JVM that runs Vigil beside an in-JVM Kafka broker and the test's clients. */
    public static String kafkaGroup(String thread) {
        if (thread.startsWith("Camel") && thread.contains("KafkaConsumer")) {
            return "Vigil Kafka consumers";
        }
        if (thread.startsWith("vigil-scoring")) {
            return "Vigil scoring";
        }
        if (thread.startsWith("kafka-producer-network-thread")) {
            return "producer I/O (Vigil's and the test's)";
        }
        if (thread.startsWith("vigil") || thread.startsWith("Camel") || thread.startsWith("executor-thread")
                || thread.startsWith("vert.x")) {
            return "Vigil other";
        }
        if (thread.startsWith("data-plane-kafka") || thread.startsWith("kafka-") || thread.startsWith("group-coord")
                || thread.startsWith("quorum-controller") || thread.startsWith("controller-")
                || thread.startsWith("broker-") || thread.contains("raft") || thread.startsWith("ExpirationReaper")
                || thread.startsWith("LogDirFailureHandler") || thread.startsWith("transaction-")
                || thread.startsWith("share-") || thread.startsWith("kafka-cluster-test-kit")) {
            return "Kafka broker";
        }
        if (thread.equals("main") || thread.startsWith("ForkJoinPool")) {
            return "test clients";
        }
        return "other";
    }
}
