package dev.vigil.bench;

import dev.vigil.testdata.GaussianStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * Single-point {@code POST /api/v1/score} latency at a fixed request rate, from this JVM (the load process) against
 * the packaged jar running as a child process, as a user's monitoring agent would call it: a fixed number of
 * keep-alive connections, request {@code i} due at {@code start + i / rate}, and each latency counted from that due
 * time, not from when the request was actually written. A stalled service therefore shows in the figures of every
 * request that had to wait behind it (no coordinated omission), as it would for a caller on a schedule.
 *
 * <p>{@code -Dlatency.baseline=DIR} also measures another checkout's packaged jar (its {@code target/quarkus-app}
 * and its {@code routes/}), alternating with this one, so the two compare within the same run.
 * {@code -Dlatency.rounds}, {@code -Dlatency.seconds}, {@code -Dlatency.warm-up-seconds}, {@code -Dlatency.rate}
 * and {@code -Dlatency.connections} change the shape; {@code -Dlatency.jvm-args} is added to the service's command
 * line, with {@code {work}} standing for the run's folder (a flight recording:
 * {@code -XX:StartFlightRecording=filename={work}/app.jfr,settings=profile,dumponexit=true}; a GC).
 */
final class LatencyBenchmark {
    private static final int DIMENSIONS = 8;
    private static final int KEYS = 4;
    private static final int ROUNDS = Integer.getInteger("latency.rounds", 2);
    private static final int SECONDS = Integer.getInteger("latency.seconds", 60);
    private static final int WARM_UP_SECONDS = Integer.getInteger("latency.warm-up-seconds", 20);
    private static final int RATE = Integer.getInteger("latency.rate", 1000);
    private static final int CONNECTIONS = Integer.getInteger("latency.connections", 20);
    private static final String JVM_ARGS = System.getProperty("latency.jvm-args", "");
    /** A request not answered within this fails the run: every wait is bounded. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private LatencyBenchmark() {
    }

    /** A checkout to measure: its packaged jar and its routes. */
    private record Build(String label, Path root) {
        Path jar() {
            Path jar = root.resolve("target/vigil-runner.jar");
            // A checkout from before the single-jar packaging has its jar under target/quarkus-app.
            return Files.exists(jar) ? jar : root.resolve("target/quarkus-app/quarkus-run.jar");
        }
    }

    /** One measured run: latencies in microseconds, sorted; the service's CPU per request; the load averages. */
    private record Run(Build build, int round, long[] micros, int failed, double cpuMillisPerRequest, String loadBefore,
            String loadAfter) {
        double percentileMillis(double p) {
            int i = (int) Math.min(micros.length - 1, Math.ceil(p * micros.length) - 1);
            return micros[Math.max(0, i)] / 1000.0;
        }
    }

    static String run() throws Exception {
        List<Build> builds = new ArrayList<>();
        String baseline = System.getProperty("latency.baseline", "");
        if (!baseline.isBlank()) {
            builds.add(new Build("baseline", Path.of(baseline).toAbsolutePath()));
        }
        builds.add(new Build("this checkout", Path.of("").toAbsolutePath()));
        for (Build b : builds) {
            if (!Files.exists(b.jar())) {
                return "Not measured: " + b.jar() + " is missing (package that checkout first).\n";
            }
        }
        double[][] points = new GaussianStream(DIMENSIONS, 4, 11).next(10_000);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            for (Build build : builds) {
                runs.add(measure(build, round, points, http));
                Run r = runs.get(runs.size() - 1);
                System.out.printf(Locale.ROOT, "latency: %s round %d: p50 %.2f p99 %.2f p99.9 %.2f max %.2f ms, "
                        + "%d failed, %.2f ms CPU/request, load %s -> %s%n", build.label(), round,
                        r.percentileMillis(0.5), r.percentileMillis(0.99), r.percentileMillis(0.999),
                        r.percentileMillis(1.0), r.failed(), r.cpuMillisPerRequest(), r.loadBefore(), r.loadAfter());
            }
        }
        return report(runs);
    }

    private static Run measure(Build build, int round, double[][] points, HttpClient http) throws Exception {
        Path work = Path.of("target", "latency-bench", build.label().replace(' ', '-') + "-" + round).toAbsolutePath();
        RouteBenchmark.deleteTree(work);
        Files.createDirectories(work.resolve("data/inbox"));
        RouteBenchmark.copyTree(build.root().resolve("routes"), work.resolve("routes"));
        List<String> jvmArgs = JVM_ARGS.isBlank() ? List.of()
                : List.of(JVM_ARGS.replace("{work}", work.toString()).split(" "));
        RouteBenchmark.Started app = RouteBenchmark.Started.launch(build.jar(), work, http, jvmArgs);
        try {
            int port = Integer.parseInt(app.base().substring(app.base().lastIndexOf(':') + 1));
            load(port, points, WARM_UP_SECONDS);
            String loadBefore = loadAverage();
            long cpuBefore = cpuTicks(app.process().pid());
            long[][] perConnection = load(port, points, SECONDS);
            long cpuTicks = cpuTicks(app.process().pid()) - cpuBefore;
            String loadAfter = loadAverage();
            int requests = 0;
            int failed = 0;
            for (long[] c : perConnection) {
                for (long v : c) {
                    requests++;
                    failed += v < 0 ? 1 : 0;
                }
            }
            long[] micros = new long[requests - failed];
            int n = 0;
            for (long[] c : perConnection) {
                for (long v : c) {
                    if (v >= 0) {
                        micros[n++] = v;
                    }
                }
            }
            Arrays.sort(micros);
            // /proc/<pid>/stat counts clock ticks, 100 a second on Linux.
            return new Run(build, round, micros, failed, cpuTicks * 10.0 / requests, loadBefore, loadAfter);
        } finally {
            app.stop();
        }
    }

    /**
     * Sends {@code RATE} requests a second for {@code seconds}, request {@code i} on connection {@code i % CONNECTIONS}
     * and due at {@code i / RATE} s from the start; returns each connection's latencies in microseconds from the due
     * time, negative for a request that was not answered 200.
     */
    private static long[][] load(int port, double[][] points, int seconds) throws Exception {
        int total = RATE * seconds;
        long start = System.nanoTime() + 100_000_000L;
        double intervalNanos = 1e9 / RATE;
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connection = c;
                futures.add(pool.submit(() -> {
                    long[] latencies = new long[(total - connection + CONNECTIONS - 1) / CONNECTIONS];
                    try (Connection conn = new Connection(port)) {
                        for (int k = 0; k < latencies.length; k++) {
                            int i = connection + k * CONNECTIONS;
                            long due = start + (long) (i * intervalNanos);
                            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                                LockSupport.parkNanos(wait);
                            }
                            int status = conn.post(body(i, points[i % points.length]));
                            long micros = (System.nanoTime() - due) / 1000;
                            latencies[k] = status == 200 ? micros : -1;
                        }
                    }
                    return latencies;
                }));
            }
            long[][] result = new long[CONNECTIONS][];
            for (int c = 0; c < CONNECTIONS; c++) {
                result[c] = futures.get(c).get();
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] body(int i, double[] x) {
        StringBuilder sb = new StringBuilder(160).append("{\"id\":\"l").append(i).append("\",\"key\":\"key-")
                .append(i % KEYS).append('"');
        for (int f = 0; f < x.length; f++) {
            sb.append(",\"f").append(f).append("\":").append((float) x[f]);
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One keep-alive HTTP/1.1 connection, written and read by hand so that the client adds as little as it can. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String head;

        Connection(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16384);
            head = "POST /api/v1/score HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "X-API-Key: " + RouteBenchmark.API_KEY + "\r\nContent-Length: ";
        }

        /** Sends one request and reads its whole response; returns the status. */
        int post(byte[] body) throws IOException {
            byte[] h = (head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, request, h.length, body.length);
            out.write(request);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
                    skip(size);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length);
            }
            return status;
        }

        private void skip(long n) throws IOException {
            for (long left = n; left > 0; ) {
                long s = in.skip(left);
                if (s <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-response");
                    }
                    s = 1;
                }
                left -= s;
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed mid-response");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** User plus system CPU of a process and its threads so far, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String report(List<Run> runs) {
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" with `mvn -B -Pbench verify -Dbench.args=latency` on ")
                .append(BenchmarkReport.Machine.describe()).append(". The packaged application (`java -jar "
                + "target/vigil-runner.jar`, JVM, default heap and GC").append(JVM_ARGS.isBlank() ? ""
                        : ", with `" + JVM_ARGS + "`")
                .append(") runs as a child process of the load process with the shipped routes and file sinks, "
                + "throttling off, model `isolation_forest` with its defaults. Single ").append(DIMENSIONS)
                .append("-feature points over ").append(KEYS).append(" keys, `POST /api/v1/score`, at ")
                .append(String.format(Locale.ROOT, "%,d", RATE)).append(" requests/s over ").append(CONNECTIONS)
                .append(" keep-alive connections, request i due at i/rate and on connection i mod ").append(CONNECTIONS)
                .append(", its latency counted from that due time (no coordinated omission); ").append(WARM_UP_SECONDS)
                .append(" s of the same load first, then ").append(SECONDS).append(" s measured (")
                .append(String.format(Locale.ROOT, "%,d", RATE * SECONDS)).append(" requests). Builds alternate; "
                + "load average (1, 5, 15 min) before and after each measured run: the machine is shared.\n\n")
                .append("| build | round | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | not 200 | service CPU ms/request "
                        + "| load average before → after |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Run r : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %.2f | %s → %s |%n",
                    r.build().label(), r.round(), r.percentileMillis(0.5), r.percentileMillis(0.9),
                    r.percentileMillis(0.99), r.percentileMillis(0.999), r.percentileMillis(1.0), r.failed(),
                    r.cpuMillisPerRequest(), r.loadBefore(), r.loadAfter()));
        }
        return md.toString();
    }
}
