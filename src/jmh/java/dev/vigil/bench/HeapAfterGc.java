package dev.vigil.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap another JVM still uses right after a full garbage collection: its live set, the figure a leak makes
 * grow whatever the collector's mood. One {@code jcmd} session runs {@code GC.run} ({@code System.gc()}: a
 * stop-the-world full collection under G1, Parallel and Serial, and it returns once the collection is over) and
 * then {@code GC.heap_info}, so only what the process allocates in the moment between the two commands is
 * counted beyond the live objects.
 *
 * <p>Why not the alternatives: {@code jvm_memory_used_bytes{area="heap"}} alone depends on when the last
 * collection happened (it saw-tooths with the young generation), and {@code jvm_gc_live_data_size_bytes} is set
 * from the JVM's GC notifications, which arrive asynchronously and only after some collections, so a scrape
 * right after a forced collection may still show an older value.
 */
final class HeapAfterGc {
    /** G1: {@code garbage-first heap total 524288K, used 61234K [...]}; Serial and Parallel: one line per generation. */
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private final long pid;
    private final Path commands;

    HeapAfterGc(long pid, Path work) throws IOException {
        this.pid = pid;
        this.commands = Files.writeString(work.resolve("heap-after-gc.jcmd"), "GC.run\nGC.heap_info\n",
                StandardCharsets.UTF_8);
    }

    /** Collects, then answers the heap in use, in bytes. */
    long bytes() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "-f", commands.toString()).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(120, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd " + pid + " GC.run / GC.heap_info failed:\n" + output);
        }
        long usedKb = 0;
        boolean found = false;
        Matcher m = USED.matcher(output);
        while (m.find()) {
            usedKb += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IOException("no heap figure in the output of jcmd " + pid + " GC.heap_info:\n" + output);
        }
        return usedKb * 1024;
    }
}
