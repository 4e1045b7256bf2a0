package dev.vigil.bench;

import dev.vigil.detect.pipeline.Pipeline;
import dev.vigil.detect.pipeline.PipelineSpec;
import dev.vigil.testdata.GaussianStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * End-to-end throughput of the routes, against the packaged application started as a child process (JVM, its
 * default heap, file sinks as shipped, throttling off): a large JSON-lines file through the inbox, JSON arrays
 * through {@code POST /api/v1/score}, and the latency of single-point HTTP calls. The detector alone is measured
 * in the same run on the same points, so the figures compare as a ratio.
 */
final class RouteBenchmark {
    private static final int DIMENSIONS = 8;
    private static final int KEYS = 4;
    private static final int FILE_POINTS = 500_000;
    private static final int HTTP_BATCH = 1000;
    private static final int HTTP_BATCHES = 200;
    private static final int SINGLE_CALLS = 3000;
    private static final int STARTS = 5;
    private static final int SMALL_FILES = 40;
    /**
     * Points each path (the inbox, the HTTP batches) handles before it is timed. The JIT compiles the routes' code for
     * a long time: with 100,000 points of warm-up the compilers still took a quarter of the CPU of a timed file, and
     * HTTP batches went at 86,000 points/s after 100,000 points against 152,000 after 2,000,000. Users run for hours.
     * {@code -Droute-bench.warm-up=N}.
     */
    private static final int WARM_UP = Integer.getInteger("route-bench.warm-up", 1_000_000);
    /** Metric streams: one feature per point, many keys, as hosts' or sensors' metrics arrive. */
    private static final int METRIC_KEYS = 1000;
    /**
     * Points before the timed metric file: 2,100 a key, past the default window of 2,048, as keys that have run for a
     * while (a young forest rebuilds a tree every few points; the user's steady state is a full window).
     */
    private static final int METRIC_WARM_UP = 2_100_000;
    private static final int METRIC_WARM_UP_FILE = 300_000;
    private static final int METRIC_POINTS = 300_000;
    /** Generated for each run; the application gets only its hash (a command line is visible to local users). */
    static final String API_KEY = newApiKey();

    private RouteBenchmark() {
    }

    static String run() throws Exception {
        Path jar = Path.of(System.getProperty("route-bench.jar", "target/vigil-runner.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            return "Not measured: " + jar + " is missing (the bench profile builds it in the package phase).\n";
        }
        Path work = Path.of("target", "route-bench").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work.resolve("data/inbox"));
        copyTree(Path.of("routes"), work.resolve("routes"));
        double[][] points = new GaussianStream(DIMENSIONS, 4, 7).next(FILE_POINTS);
        double detectorAlone = detectorAlone(points);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // Start-up: cold starts of the packaged jar, each timed from the process start to readiness, started as the
        // README starts it: with the class-data archive mvn package wrote beside it, when there is one.
        Path archive = jar.resolveSibling("vigil-cds.jsa");
        List<String> startArgs = Files.exists(archive) ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
        double[] startSeconds = new double[STARTS];
        long[] idleRss = new long[STARTS];
        for (int i = 0; i < STARTS; i++) {
            long start = System.nanoTime();
            Started cold = Started.launch(jar, work, http, startArgs);
            startSeconds[i] = (System.nanoTime() - start) / 1e9;
            idleRss[i] = residentKb(cold.process, "VmRSS");
            cold.stop();
        }
        Arrays.sort(startSeconds);
        Arrays.sort(idleRss);

        Started started = Started.launch(jar, work, http);
        Process app = started.process;
        try {
            String base = started.base;
            Recording recording = new Recording(app);

            // File inbox: one JSON-lines file, timed from the atomic move into the inbox to its move to .done, after
            // warm-up files of the same points.
            for (int w = 0; w * FILE_POINTS < WARM_UP; w++) {
                List<String> warm = new ArrayList<>(FILE_POINTS);
                for (int i = 0; i < Math.min(FILE_POINTS, WARM_UP - w * FILE_POINTS); i++) {
                    warm.add(json("w" + w + "-" + i, "key-" + (i % KEYS), points[i]));
                }
                dropAndWait(app, work, "warm-up-" + w + ".jsonl", warm);
            }
            List<String> lines = new ArrayList<>(points.length);
            for (int i = 0; i < points.length; i++) {
                lines.add(json("f" + i, "key-" + (i % KEYS), points[i]));
            }
            long writtenBefore = countLines(work.resolve("data/out"));
            recording.start("file");
            double fileSeconds = dropAndWait(app, work, "points.jsonl", lines);
            double fileCpu = recording.stop("file");
            long written = countLines(work.resolve("data/out")) - writtenBefore;

            // Metric streams: one feature, 1,000 keys in turn, warm-up files then the timed one.
            double[] metric = metricStream(METRIC_WARM_UP + METRIC_POINTS);
            for (int from = 0; from < METRIC_WARM_UP; from += METRIC_WARM_UP_FILE) {
                dropAndWait(app, work, "metrics-warm-up-" + from + ".jsonl",
                        metricLines(metric, from, Math.min(METRIC_WARM_UP, from + METRIC_WARM_UP_FILE)));
            }
            List<String> metricLines = metricLines(metric, METRIC_WARM_UP, METRIC_WARM_UP + METRIC_POINTS);
            recording.start("metrics");
            double metricSeconds = dropAndWait(app, work, "metrics.jsonl", metricLines);
            double metricCpu = recording.stop("metrics");

            // HTTP arrays of 1,000 points from two client threads.
            List<String> bodies = new ArrayList<>();
            for (int b = 0; b < HTTP_BATCHES; b++) {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < HTTP_BATCH; i++) {
                    int n = (b * HTTP_BATCH + i) % points.length;
                    sb.append(i == 0 ? "" : ",").append(json("h" + b + "-" + i, "key-" + (n % KEYS), points[n]));
                }
                bodies.add(sb.append(']').toString());
            }
            ExecutorService clients = Executors.newFixedThreadPool(2);
            for (int sent = 0; sent < WARM_UP; sent += bodies.size() * HTTP_BATCH) {
                postAll(clients, http, base, bodies);
            }
            long clientCpu = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
            recording.start("http");
            long httpStart = System.nanoTime();
            postAll(clients, http, base, bodies);
            double httpSeconds = (System.nanoTime() - httpStart) / 1e9;
            double httpCpu = recording.stop("http");
            clientCpu = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() - clientCpu;
            clients.shutdown();

            // Single-point calls, one at a time.
            double[] latencies = new double[SINGLE_CALLS];
            for (int i = 0; i < SINGLE_CALLS; i++) {
                String body = json("s" + i, "key-" + (i % KEYS), points[i]);
                long start = System.nanoTime();
                if (post(http, base, body).statusCode() != 200) {
                    throw new IllegalStateException("single call failed");
                }
                latencies[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(latencies);
            double[] smallFileMs = smallFiles(app, work, points);

            double fileRate = FILE_POINTS / fileSeconds;
            double httpRate = HTTP_BATCHES * HTTP_BATCH / httpSeconds;
            double metricRate = METRIC_POINTS / metricSeconds;
            double metricAlone = metricDetectorAlone(metric);
            StringBuilder md = new StringBuilder();
            md.append("Measured ").append(LocalDate.now()).append(" with `mvn -B -Pbench verify` on ")
                    .append(BenchmarkReport.Machine.describe()).append(". The packaged application (`java -jar "
                    + "target/vigil-runner.jar`, JVM, default heap) runs as a child process with the shipped "
                    + "routes and file sinks (every result written as a JSON line), throttling off, model "
                    + "`isolation_forest` with its defaults, ").append(DIMENSIONS).append("-feature points over ")
                    .append(KEYS).append(String.format(Locale.ROOT, " entity keys. Each path is timed after a warm-up "
                    + "of its own: %,d points in files before the timed file, %,d in HTTP batches before the timed "
                    + "ones (the JIT compiles the routes' code over the first million points or so). The detector "
                    + "alone is the same pipeline on the same points in this JVM. The HTTP load comes from this JVM, on "
                    + "the same cores: its client used %.2f µs of CPU per point.%n%n", WARM_UP, WARM_UP,
                            clientCpu / 1e3 / (HTTP_BATCHES * HTTP_BATCH)))
                    .append(TABLE_HEAD)
                    .append(row("detector alone (`Pipeline.scoreLearn`, one thread)", FILE_POINTS, detectorAlone,
                            Double.NaN, detectorAlone))
                    .append(row("file inbox, one JSON-lines file, to `.done`", FILE_POINTS, fileRate, fileCpu,
                            detectorAlone))
                    .append(row(String.format(Locale.ROOT, "HTTP `POST /api/v1/score`, arrays of %,d, 2 clients",
                            HTTP_BATCH), HTTP_BATCHES * HTTP_BATCH, httpRate, httpCpu, detectorAlone))
                    .append(String.format(Locale.ROOT, "%nMetric streams: one feature per point, %,d keys in turn (each "
                            + "key past its first window: %,d points per key before the timed file), the same points "
                            + "for the detector alone (one pipeline per key, one thread).%n%n", METRIC_KEYS,
                            METRIC_WARM_UP / METRIC_KEYS))
                    .append(TABLE_HEAD)
                    .append(row("detector alone, 1,000 keys", METRIC_POINTS, metricAlone, Double.NaN, metricAlone))
                    .append(row("file inbox, 1,000 keys", METRIC_POINTS, metricRate, metricCpu, metricAlone))
                    .append(String.format(Locale.ROOT, "%nSingle-point `POST /api/v1/score`, %,d sequential calls: "
                            + "p50 %.2f ms, p99 %.2f ms, max %.2f ms. Result lines written by the file run: %,d.%n",
                            SINGLE_CALLS, latencies[SINGLE_CALLS / 2], latencies[(int) (SINGLE_CALLS * 0.99)],
                            latencies[SINGLE_CALLS - 1], written))
                    .append(String.format(Locale.ROOT, "%nOne-line files, %d moved in one at a time, each written two "
                            + "seconds before its move (a file written elsewhere, then moved into the inbox): from the "
                            + "move to `.done`, median %.1f ms, p90 %.1f ms, max %.1f ms.%n", SMALL_FILES,
                            smallFileMs[SMALL_FILES / 2], smallFileMs[SMALL_FILES * 9 / 10],
                            smallFileMs[SMALL_FILES - 1]));
            long loadRss = residentKb(app, "VmRSS");
            long peakRss = residentKb(app, "VmHWM");
            md.append(String.format(Locale.ROOT, "%n**Start-up and footprint (JVM).** %d cold starts of the jar%s, "
                    + "process start to `/q/health/ready` answering 200: median %.2f s (min %.2f, max %.2f). Resident "
                    + "memory (RSS) once ready, idle: median %,d MiB. After the runs above: %,d MiB, peak %,d MiB. "
                    + "Native binary: not measured here (no GraalVM or container engine on this machine).%n",
                    STARTS, startArgs.isEmpty() ? " (no class-data archive beside it)"
                            : " with the class-data archive `mvn package` wrote (`-XX:SharedArchiveFile`)",
                    startSeconds[STARTS / 2], startSeconds[0], startSeconds[STARTS - 1],
                    idleRss[STARTS / 2] / 1024, loadRss / 1024, peakRss / 1024));
            return md.toString();
        } finally {
            started.stop();
        }
    }

    /** The packaged jar running as a child process on free ports, ready; its HTTP and management addresses. */
    record Started(Process process, String base, String management) {
        static Started launch(Path jar, Path work, HttpClient http) throws Exception {
            return launch(jar, work, http, List.of());
        }

        /** With {@code jvmArgs} before {@code -jar}: a flight recording, a heap or GC choice. */
        static Started launch(Path jar, Path work, HttpClient http, List<String> jvmArgs) throws Exception {
            int port;
            int managementPort;
            try (ServerSocket s = new ServerSocket(0); ServerSocket m = new ServerSocket(0)) {
                port = s.getLocalPort();
                managementPort = m.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of("java", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.management.port=" + managementPort, "-Dvigil.throttle.max-per-minute=0",
                    "-Dvigil.http.max-body-bytes=4194304", "-Dvigil.security.api-key-hashes=bench:" + sha256Hex(API_KEY)));
            command.addAll(jvmArgs);
            command.addAll(List.of("-jar", jar.toString()));
            Process process = new ProcessBuilder(command)
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("app.log").toFile())
                    .start();
            try {
                awaitReady(http, "http://127.0.0.1:" + managementPort);
            } catch (Exception e) {
                process.destroyForcibly();
                throw e;
            }
            return new Started(process, "http://127.0.0.1:" + port, "http://127.0.0.1:" + managementPort);
        }

        void stop() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    /**
     * The application's CPU time over each timed part (all its threads: a steadier figure than the wall time on a
     * shared machine), and with {@code -Droute-bench.profile=<folder>} a JFR recording (settings {@code profile}) of
     * the part, {@code <folder>/<part>.jfr}, started and stopped with {@code jcmd}.
     */
    private static final class Recording {
        private final Process app;
        private long cpuAtStart;

        Recording(Process app) {
            this.app = app;
        }

        void start(String part) throws Exception {
            String folder = System.getProperty("route-bench.profile", "");
            if (!folder.isBlank()) {
                jcmd("JFR.start", "name=" + part, "settings=profile",
                        "filename=" + Path.of(folder).toAbsolutePath().resolve(part + ".jfr"));
            }
            cpuAtStart = cpuNanos();
        }

        /** Ends the part; returns the application's CPU seconds during it. */
        double stop(String part) throws Exception {
            double cpu = (cpuNanos() - cpuAtStart) / 1e9;
            if (!System.getProperty("route-bench.profile", "").isBlank()) {
                jcmd("JFR.stop", "name=" + part);
            }
            return cpu;
        }

        private long cpuNanos() {
            return app.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException(
                    "the CPU time of the application is not available on this system")).toNanos();
        }

        private void jcmd(String... command) throws Exception {
            List<String> line = new ArrayList<>(List.of("jcmd", Long.toString(app.pid())));
            line.addAll(List.of(command));
            Process p = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed");
            }
        }
    }

    /** A memory figure of a process from /proc (Linux), in KiB: VmRSS now, VmHWM the peak. */
    private static long residentKb(Process process, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException(field + " missing from /proc/" + process.pid() + "/status");
    }

    private static final String TABLE_HEAD = "| path | points | points/s | µs per point | of which the route "
            + "| CPU µs per point (application) | vs detector alone |\n|---|---:|---:|---:|---:|---:|---:|\n";

    /**
     * A table row: rate, wall microseconds per point, what the route adds to the detector's, the application's CPU
     * per point over all its threads (blank for the detector alone: one thread, CPU = wall), and the ratio.
     */
    private static String row(String path, int points, double rate, double cpuSeconds, double detectorRate) {
        String cpu = Double.isNaN(cpuSeconds) ? "" : String.format(Locale.ROOT, "%.2f", cpuSeconds * 1e6 / points);
        return String.format(Locale.ROOT, "| %s | %,d | %,.0f | %.2f | %.2f | %s | %.2f |%n", path, points, rate,
                1e6 / rate, 1e6 / rate - 1e6 / detectorRate, cpu, rate / detectorRate);
    }

    /** Writes {@code lines} beside the inbox, moves the file in, and returns the seconds until it is in .done. */
    private static double dropAndWait(Process app, Path work, String name, List<String> lines) throws Exception {
        Path tmp = work.resolve("data/." + name);
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        Files.move(tmp, work.resolve("data/inbox/" + name), StandardCopyOption.ATOMIC_MOVE);
        awaitDone(app, work, name, 20);
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Milliseconds from the move into the inbox to .done of one-line files last written two seconds before their
     * move, so that the read takes their end as settled at once: how soon a file moved in is scored. Sorted.
     */
    private static double[] smallFiles(Process app, Path work, double[][] points) throws Exception {
        double[] ms = new double[SMALL_FILES];
        for (int i = 0; i < SMALL_FILES; i++) {
            String name = "small-" + i + ".jsonl";
            Path tmp = work.resolve("data/." + name);
            Files.writeString(tmp, json("m" + i, "key-" + (i % KEYS), points[i]) + "\n", StandardCharsets.UTF_8);
            Files.setLastModifiedTime(tmp, FileTime.fromMillis(System.currentTimeMillis() - 2_000));
            long start = System.nanoTime();
            Files.move(tmp, work.resolve("data/inbox/" + name), StandardCopyOption.ATOMIC_MOVE);
            awaitDone(app, work, name, 1);
            ms[i] = (System.nanoTime() - start) / 1e6;
            Thread.sleep(37L * i % 100); // moved in at different points of the inbox's poll timer
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void awaitDone(Process app, Path work, String name, long checkMillis) throws Exception {
        Path done = work.resolve("data/inbox/.done/" + name);
        while (!Files.exists(done)) {
            Thread.sleep(checkMillis);
            if (!app.isAlive()) {
                throw new IllegalStateException("the application stopped; see " + work.resolve("app.log"));
            }
        }
    }

    /** One reading per point, key {@code i % METRIC_KEYS}: each key a noisy level of its own. */
    private static double[] metricStream(int n) {
        java.util.Random random = new java.util.Random(11);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 50 + (i % METRIC_KEYS) % 7 + 3 * random.nextGaussian();
        }
        return values;
    }

    private static List<String> metricLines(double[] values, int from, int to) {
        List<String> lines = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            lines.add("{\"id\":\"m" + i + "\",\"key\":\"host-" + (i % METRIC_KEYS) + "\",\"features\":{\"value\":"
                    + values[i] + "}}");
        }
        return lines;
    }

    /** The metric stream through one pipeline per key, warmed with the same points, timed on the rest. */
    private static double metricDetectorAlone(double[] values) {
        PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), "isolation_forest", Map.of(),
                List.of(), Map.of());
        Pipeline[] pipelines = new Pipeline[METRIC_KEYS];
        for (int k = 0; k < METRIC_KEYS; k++) {
            pipelines[k] = spec.newPipeline(1);
        }
        double[] x = new double[1];
        for (int i = 0; i < METRIC_WARM_UP; i++) {
            x[0] = values[i];
            pipelines[i % METRIC_KEYS].scoreLearn(x);
        }
        long start = System.nanoTime();
        double sink = 0;
        for (int i = METRIC_WARM_UP; i < values.length; i++) {
            x[0] = values[i];
            sink += pipelines[i % METRIC_KEYS].scoreLearn(x);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink < 0) {
            throw new AssertionError();
        }
        return (values.length - METRIC_WARM_UP) / seconds;
    }

    private static double detectorAlone(double[][] points) {
        PipelineSpec spec = PipelineSpec.parse(PipelineSpec.Keys.under("vigil."), "isolation_forest", Map.of(),
                List.of(), Map.of());
        Pipeline[] pipelines = new Pipeline[KEYS];
        for (int k = 0; k < KEYS; k++) {
            pipelines[k] = spec.newPipeline(DIMENSIONS);
        }
        for (int i = 0; i < 100_000; i++) {
            pipelines[i % KEYS].scoreLearn(points[i]);
        }
        long start = System.nanoTime();
        double sink = 0;
        for (int i = 0; i < points.length; i++) {
            sink += pipelines[i % KEYS].scoreLearn(points[i]);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink < 0) {
            throw new AssertionError();
        }
        return points.length / seconds;
    }

    /** Posts every body from the two client threads of {@code clients}; each must be answered 200. */
    private static void postAll(ExecutorService clients, HttpClient http, String base, List<String> bodies)
            throws Exception {
        List<Future<Integer>> statuses = new ArrayList<>();
        for (String body : bodies) {
            statuses.add(clients.submit(() -> post(http, base, body).statusCode()));
        }
        for (Future<Integer> f : statuses) {
            if (f.get() != 200) {
                throw new IllegalStateException("HTTP batch answered " + f.get());
            }
        }
    }

    private static HttpResponse<String> post(HttpClient http, String base, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/score"))
                .header("Content-Type", "application/json").header("X-API-Key", API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String newApiKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    private static String sha256Hex(String key) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static void awaitReady(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the application did not become ready in 90 s");
    }

    private static String json(String id, String key, double[] x) {
        StringBuilder sb = new StringBuilder(160).append("{\"id\":\"").append(id).append("\",\"key\":\"").append(key)
                .append('"');
        for (int f = 0; f < x.length; f++) {
            sb.append(",\"f").append(f).append("\":").append((float) x[f]);
        }
        return sb.append('}').toString();
    }

    private static long countLines(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long n = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (Stream<String> lines = Files.lines(f)) {
                    n += lines.count();
                }
            }
            return n;
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
