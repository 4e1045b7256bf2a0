package dev.vigil.bench;

import dev.vigil.testdata.GaussianStream;
import dev.vigil.testing.VigilProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Soak: a million points through the packaged jar at a fixed rate, half as CSV files dropped into the inbox and
 * half as JSON arrays over HTTP (alternately {@code /api/v1/score} and {@code /api/v1/ingest}), while the heap
 * after a full GC, the live threads, the open files and the resident memory are sampled every ten seconds. A
 * leak shows as a line that keeps rising with the points; the run passes when the heap, threads and open files of
 * its last third are within a small margin of its first third (after a warm-up), and every point was scored
 * exactly once (counted by id in the result files).
 *
 * <p>Not part of {@code mvn verify} nor of the default bench run (it takes minutes by design):
 * {@code mvn -B -Pbench verify -Dbench.args=soak}, with {@code -Dsoak.points} (default 1,000,000),
 * {@code -Dsoak.rate} (points per second in all, default 2,500) and {@code -Dsoak.seed} (default 42). It writes
 * the "Soak" section of {@code docs/reliability.md} and {@code docs/soak.svg}, and fails the build on FAIL.
 */
final class SoakBenchmark {
    static final Path REPORT = Path.of("docs", "reliability.md");
    static final Path CHART = Path.of("docs", "soak.svg");
    private static final int DIMENSIONS = 8;
    private static final int KEYS = 8;
    private static final int FILE_ROWS = 10_000;
    private static final int HTTP_BATCH = 500;
    private static final int SAMPLE_SECONDS = 10;
    private static final String HEAP = "512m";
    /** Samples taken before this share of the points was scored are warm-up (JIT, pools, windows filling). */
    private static final double WARM_UP = 0.2;
    private static final int MIN_JUDGED_SAMPLES = 6;
    /** Allowed rise from the first third's median to the last third's (after warm-up). */
    private static final double HEAP_MARGIN = 0.10;
    /** Plus this much: the live set includes the batches in flight when the sample is taken. */
    private static final double HEAP_MARGIN_MIB = 4;
    private static final int THREADS_MARGIN = 2;
    private static final int FILES_MARGIN = 5;
    /** Without a new scored point for this long after the feed ended, the rest counts as lost. */
    private static final int DRAIN_SECONDS = 180;

    /** The run's size, from system properties so a short run is possible while developing. */
    record Settings(int points, double rate, long seed) {
        static Settings fromSystemProperties() {
            Settings s = new Settings(Integer.getInteger("soak.points", 1_000_000),
                    Double.parseDouble(System.getProperty("soak.rate", "2500")), Long.getLong("soak.seed", 42));
            if (s.points < 2 || s.rate <= 0) {
                throw new IllegalArgumentException("soak.points must be at least 2 and soak.rate above 0: " + s);
            }
            return s;
        }

        int filePoints() {
            return points / 2;
        }

        int httpPoints() {
            return points - filePoints();
        }
    }

    /** One sample: seconds since the feed started, points scored so far, memory in MiB, the 1-minute load. */
    record Sample(double seconds, long scored, double heapMiB, int threads, int openFiles, double rssMiB, double load) {
    }

    /** A metric's first and last third (medians after warm-up), its slope per million points, and the verdict. */
    record Trend(String name, double first, double last, double perMillion, double allowed, boolean gated) {
        boolean flat() {
            return !gated || last <= first + allowed;
        }

        String describe() {
            return String.format(Locale.ROOT, "%s %s → %s (%+.1f; allowed %s; least-squares %+.2f per million points)",
                    name, figure(first), figure(last), last - first, gated ? "+" + figure(allowed) : "not gated",
                    perMillion);
        }

        private static String figure(double v) {
            return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        }
    }

    /** What the result files held, by point id. */
    record Delivery(long lines, long distinct, long lost, long duplicated, long foreign) {
    }

    /** The generated section and chart, and whether the run passed. */
    record Outcome(String markdown, String svg, boolean passed, String verdict) {
        void write() throws IOException {
            Files.createDirectories(REPORT.getParent());
            if (!Files.exists(REPORT)) {
                Files.writeString(REPORT, "# Reliability\n\nWhat was tried against Vigil to lose, duplicate or leak "
                        + "something, and what happened. Generated sections are measured, never typed in.\n\n",
                        StandardCharsets.UTF_8);
            }
            String text = Files.readString(REPORT, StandardCharsets.UTF_8);
            if (!text.contains("<!-- BEGIN soak ")) {
                Files.writeString(REPORT, text + (text.endsWith("\n\n") ? "" : "\n") + "## Soak\n\n",
                        StandardCharsets.UTF_8);
            }
            Sections.replace(REPORT, "soak", markdown);
            Files.writeString(CHART, svg, StandardCharsets.UTF_8);
        }
    }

    private SoakBenchmark() {
    }

    static Outcome run() throws Exception {
        Settings settings = Settings.fromSystemProperties();
        if (!Files.exists(VigilProcess.RUN_JAR)) {
            throw new IllegalStateException(VigilProcess.RUN_JAR + " is missing (the bench profile builds it in package)");
        }
        System.out.printf(Locale.ROOT, "SoakBenchmark: %,d points at %,.0f points/s, seed %d%n", settings.points,
                settings.rate, settings.seed);
        Path work = Path.of("target", "soak").toAbsolutePath();
        VigilProcess.deleteTree(work);
        Files.createDirectories(work.resolve("data/inbox"));
        Files.createDirectories(work.resolve("data/staging"));
        double loadBefore = loadAverage();
        VigilProcess vigil = VigilProcess.start("soak", work, HEAP, Map.of("vigil.inbox.enabled", "true"));
        List<Sample> samples = new ArrayList<>();
        AtomicLong httpFailures = new AtomicLong();
        long rejected;
        long scoredMetric;
        double feedSeconds;
        ExecutorService feeders = Executors.newFixedThreadPool(2);
        try {
            HeapAfterGc heap = new HeapAfterGc(vigil.pid(), work);
            long start = System.nanoTime();
            Future<Long> files = feeders.submit(() -> feedFiles(settings, work, start));
            Future<Long> http = feeders.submit(() -> feedHttp(settings, vigil, start, httpFailures));
            feeders.shutdown();
            samples.add(sample(vigil, heap, start));
            double feedEnd = Double.NaN;
            long lastProgress = System.nanoTime();
            for (int k = 1; ; k++) {
                sleepUntil(start + k * SAMPLE_SECONDS * 1_000_000_000L);
                if (!vigil.isAlive()) {
                    throw new IllegalStateException("the service exited (" + vigil.exitCode() + ")\n" + vigil.logTail());
                }
                Sample s = sample(vigil, heap, start);
                if (s.scored() > samples.get(samples.size() - 1).scored()) {
                    lastProgress = System.nanoTime();
                }
                samples.add(s);
                System.out.printf(Locale.ROOT, "SoakBenchmark: %5.0f s, %,9d scored, heap after GC %6.1f MiB, %3d threads, "
                        + "%3d open files, RSS %6.1f MiB, load %.1f%n", s.seconds(), s.scored(), s.heapMiB(), s.threads(),
                        s.openFiles(), s.rssMiB(), s.load());
                if (Double.isNaN(feedEnd) && feeders.isTerminated()) {
                    feedEnd = (Math.max(files.get(), http.get()) - start) / 1e9;
                }
                boolean drained = !Double.isNaN(feedEnd) && s.scored() >= settings.points;
                boolean stuck = !Double.isNaN(feedEnd) && System.nanoTime() - lastProgress > DRAIN_SECONDS * 1_000_000_000L;
                if (drained || stuck) {
                    break;
                }
            }
            feedSeconds = feedEnd;
            String metrics = vigil.metrics();
            rejected = (long) sum(metrics, "vigil_points_rejected_total");
            scoredMetric = (long) sum(metrics, "vigil_points_scored_total");
        } finally {
            feeders.shutdownNow(); // after a failure, so the feed does not keep this JVM alive
            vigil.stop();
        }
        double loadAfter = loadAverage();
        Delivery delivery = countResults(work.resolve("data/out"), settings.points);
        long leftInInbox = countFiles(work.resolve("data/inbox"), 1);
        long failedFiles = countFiles(work.resolve("data/inbox/.error"), 1);

        List<Sample> judged = samples.stream().filter(s -> s.scored() >= WARM_UP * settings.points).toList();
        List<Trend> trends = List.of(
                trend("heap after GC (MiB)", judged, Sample::heapMiB, HEAP_MARGIN, HEAP_MARGIN_MIB, true),
                trend("live threads", judged, s -> s.threads(), 0, THREADS_MARGIN, true),
                trend("open files", judged, s -> s.openFiles(), 0, FILES_MARGIN, true),
                trend("RSS (MiB)", judged, Sample::rssMiB, 0, 0, false));
        List<String> failures = new ArrayList<>();
        if (judged.size() < MIN_JUDGED_SAMPLES) {
            failures.add(String.format(Locale.ROOT, "only %d samples after warm-up, %d needed to judge a trend (raise "
                    + "-Dsoak.points or lower -Dsoak.rate)", judged.size(), MIN_JUDGED_SAMPLES));
        } else {
            trends.stream().filter(t -> !t.flat()).forEach(t -> failures.add(t.name() + " rose"));
        }
        if (delivery.lost() > 0 || delivery.duplicated() > 0 || delivery.foreign() > 0) {
            failures.add(String.format(Locale.ROOT, "%,d lost, %,d duplicated, %,d unknown result lines",
                    delivery.lost(), delivery.duplicated(), delivery.foreign()));
        }
        if (rejected > 0 || httpFailures.get() > 0 || failedFiles > 0 || leftInInbox > 0) {
            failures.add(String.format(Locale.ROOT, "%,d rejected, %,d HTTP failures, %,d files failed, %,d left in the inbox",
                    rejected, httpFailures.get(), failedFiles, leftInInbox));
        }
        boolean passed = failures.isEmpty();
        String verdict = passed ? "PASS" : "FAIL: " + String.join("; ", failures);
        for (Trend t : trends) {
            System.out.printf(Locale.ROOT, "SoakBenchmark: %s%n", t.describe());
        }
        System.out.printf(Locale.ROOT, "SoakBenchmark: sent %,d, scored (metric) %,d, result lines %,d, distinct ids %,d, "
                + "lost %,d, duplicated %,d, rejected %,d, HTTP failures %,d%n", settings.points, scoredMetric,
                delivery.lines(), delivery.distinct(), delivery.lost(), delivery.duplicated(), rejected, httpFailures.get());
        System.out.printf(Locale.ROOT, "SoakBenchmark: %s%n", verdict);

        String md = markdown(settings, samples, judged.size(), trends, delivery, scoredMetric, rejected,
                httpFailures.get(), feedSeconds, loadBefore, loadAfter, verdict);
        List<SoakChart.Marker> markers = new ArrayList<>();
        if (!judged.isEmpty()) {
            markers.add(new SoakChart.Marker(judged.get(0).seconds(), "warm-up over"));
        }
        markers.add(new SoakChart.Marker(feedSeconds, "feed ended"));
        return new Outcome(md, chart(settings, samples, markers), passed, verdict);
    }

    /**
     * CSV files of {@value #FILE_ROWS} rows, ids {@code p0} up, each moved into the inbox when it is due; answers
     * when it finished ({@link System#nanoTime()}).
     */
    private static long feedFiles(Settings settings, Path work, long start) throws Exception {
        GaussianStream points = new GaussianStream(DIMENSIONS, 4, settings.seed);
        double rate = settings.rate / 2;
        for (int first = 0, file = 0; first < settings.filePoints(); first += FILE_ROWS, file++) {
            int rows = Math.min(FILE_ROWS, settings.filePoints() - first);
            sleepUntil(start + (long) (first / rate * 1e9));
            String name = String.format(Locale.ROOT, "soak-%05d.csv", file);
            Path staged = work.resolve("data/staging").resolve(name);
            try (Writer w = Files.newBufferedWriter(staged, StandardCharsets.UTF_8)) {
                w.write("id,key");
                for (int f = 0; f < DIMENSIONS; f++) {
                    w.write(",f" + f);
                }
                w.write('\n');
                for (int i = first; i < first + rows; i++) {
                    w.write("p" + i + ",key-" + i % KEYS);
                    for (double v : points.next()) {
                        w.write("," + (float) v);
                    }
                    w.write('\n');
                }
            }
            // Atomic, so the inbox never sees a half-written file.
            Files.move(staged, work.resolve("data/inbox").resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        return System.nanoTime();
    }

    /** JSON arrays of {@value #HTTP_BATCH} points, ids after the files' ones, to /score and /ingest in turn. */
    private static long feedHttp(Settings settings, VigilProcess vigil, long start, AtomicLong failures) throws Exception {
        GaussianStream points = new GaussianStream(DIMENSIONS, 4, settings.seed + 1);
        double rate = settings.rate / 2;
        for (int first = 0, batch = 0; first < settings.httpPoints(); first += HTTP_BATCH, batch++) {
            int size = Math.min(HTTP_BATCH, settings.httpPoints() - first);
            sleepUntil(start + (long) (first / rate * 1e9));
            StringBuilder body = new StringBuilder(size * 160).append('[');
            for (int i = 0; i < size; i++) {
                int id = settings.filePoints() + first + i;
                body.append(i == 0 ? "{\"id\":\"p" : ",{\"id\":\"p").append(id).append("\",\"key\":\"key-")
                        .append(id % KEYS).append('"');
                double[] x = points.next();
                for (int f = 0; f < DIMENSIONS; f++) {
                    body.append(",\"f").append(f).append("\":").append((float) x[f]);
                }
                body.append('}');
            }
            String path = batch % 2 == 0 ? "/api/v1/score" : "/api/v1/ingest";
            HttpResponse<String> answer = vigil.post(path, "application/json", body.append(']').toString());
            if (answer.statusCode() != 200 && answer.statusCode() != 202) {
                failures.incrementAndGet();
                System.out.printf(Locale.ROOT, "SoakBenchmark: %s answered %d: %s%n", path, answer.statusCode(),
                        answer.body());
            }
        }
        return System.nanoTime();
    }

    /** A sample, timed when it starts (the forced GC and jcmd take seconds on a loaded machine). */
    private static Sample sample(VigilProcess vigil, HeapAfterGc heap, long start) throws Exception {
        double seconds = (System.nanoTime() - start) / 1e9;
        double heapMiB = heap.bytes() / 1048576.0;
        String metrics = vigil.metrics();
        return new Sample(seconds, (long) sum(metrics, "vigil_points_scored_total"), heapMiB,
                (int) sum(metrics, "jvm_threads_live_threads"), (int) sum(metrics, "process_files_open_files"),
                residentKb(vigil.pid()) / 1024.0, loadAverage());
    }

    /** The sum of a metric's samples over all its label sets, from Prometheus text. */
    static double sum(String prometheus, String name) {
        double total = 0;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith(name) && line.length() > name.length()
                    && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /**
     * Medians of the first and last thirds of the samples after warm-up (robust to one sample catching a file
     * mid-read), and the least-squares slope against the points scored, per million points.
     */
    static Trend trend(String name, List<Sample> samples, ToDoubleFunction<Sample> metric, double relativeMargin,
            double absoluteMargin, boolean gated) {
        int third = samples.size() / 3;
        if (third == 0) {
            return new Trend(name, Double.NaN, Double.NaN, Double.NaN, Double.NaN, gated);
        }
        double first = median(samples.subList(0, third), metric);
        double last = median(samples.subList(samples.size() - third, samples.size()), metric);
        double meanX = samples.stream().mapToDouble(Sample::scored).average().orElse(0);
        double meanY = samples.stream().mapToDouble(metric).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (Sample s : samples) {
            covariance += (s.scored() - meanX) * (metric.applyAsDouble(s) - meanY);
            variance += (s.scored() - meanX) * (s.scored() - meanX);
        }
        double slope = variance == 0 ? 0 : covariance / variance * 1e6;
        return new Trend(name, first, last, slope, first * relativeMargin + absoluteMargin, gated);
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> metric) {
        double[] v = samples.stream().mapToDouble(metric).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Every result line's id, {@code p<n>}, marked once in a bit set: what is missing is lost, what repeats duplicated. */
    private static Delivery countResults(Path out, int points) throws IOException {
        BitSet seen = new BitSet(points);
        long lines = 0;
        long duplicated = 0;
        long foreign = 0;
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        lines++;
                        int id = pointId(line);
                        if (id < 0 || id >= points) {
                            foreign++;
                        } else if (seen.get(id)) {
                            duplicated++;
                        } else {
                            seen.set(id);
                        }
                    }
                }
            }
        }
        return new Delivery(lines, seen.cardinality(), points - seen.cardinality(), duplicated, foreign);
    }

    /** The n of {@code "id":"p<n>"} in a result line, or -1. */
    private static int pointId(String line) {
        int at = line.indexOf("\"id\":\"p");
        if (at < 0) {
            return -1;
        }
        int n = 0;
        int digits = 0;
        for (int i = at + 7; i < line.length() && Character.isDigit(line.charAt(i)) && digits < 9; i++, digits++) {
            n = n * 10 + line.charAt(i) - '0';
        }
        return digits == 0 || line.charAt(at + 7 + digits) != '"' ? -1 : n;
    }

    private static long countFiles(Path dir, int depth) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir, depth)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static long residentKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("VmRSS missing from /proc/" + pid + "/status");
    }

    /** The 1-minute load average (other builds share this machine), or NaN off Linux. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static String chart(Settings settings, List<Sample> samples, List<SoakChart.Marker> markers) {
        double[] seconds = samples.stream().mapToDouble(Sample::seconds).toArray();
        return SoakChart.svg(String.format(Locale.ROOT, "Vigil soak: %,d points at %,.0f points/s (files + HTTP)",
                settings.points, settings.rate), seconds, List.of(
                new SoakChart.Panel("Heap after a full GC (MiB)", List.of(new SoakChart.Series("heap after GC",
                        "#1f77b4", false, samples.stream().mapToDouble(Sample::heapMiB).toArray()))),
                new SoakChart.Panel("Resident memory (MiB, not judged)", List.of(new SoakChart.Series("RSS",
                        "#7f7f7f", true, samples.stream().mapToDouble(Sample::rssMiB).toArray()))),
                new SoakChart.Panel("Live threads", List.of(new SoakChart.Series("threads", "#d62728", false,
                        samples.stream().mapToDouble(Sample::threads).toArray()))),
                new SoakChart.Panel("Open files (descriptors)", List.of(new SoakChart.Series("open files", "#2ca02c",
                        false, samples.stream().mapToDouble(Sample::openFiles).toArray())))), markers);
    }

    private static String markdown(Settings settings, List<Sample> samples, int judged, List<Trend> trends,
            Delivery delivery, long scoredMetric, long rejected, long httpFailures, double feedSeconds,
            double loadBefore, double loadAfter, String verdict) {
        double[] loads = samples.stream().mapToDouble(Sample::load).sorted().toArray();
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(LocalDate.now()).append(" with `mvn -B -Pbench verify -Dbench.args=soak` on ")
                .append(BenchmarkReport.Machine.describe()).append(String.format(Locale.ROOT, ", shared with other "
                + "builds: load average (1 min) %.1f before, %.1f after, median %.1f over the samples (max %.1f). ",
                loadBefore, loadAfter, loads[loads.length / 2], loads[loads.length - 1]))
                .append(String.format(Locale.ROOT, "The packaged jar ran as a child process (`-Xmx%s`, G1, shipped "
                + "routes and file sinks, throttling off) and got %,d points of %d features over %d keys (seeded "
                + "Gaussian mixture, seed %d) at %,.0f points/s in all: %,d as CSV files of %,d rows moved into the "
                + "inbox, %,d as JSON arrays of %d over HTTP, alternately `/api/v1/score` and `/api/v1/ingest`. "
                + "The feed took %.0f s (%,.0f points/s achieved); the last sample, at %.0f s, counted %,d points scored.%n%n",
                HEAP, settings.points, DIMENSIONS, KEYS, settings.seed, settings.rate, settings.filePoints(),
                FILE_ROWS, settings.httpPoints(), HTTP_BATCH, feedSeconds, settings.points / feedSeconds,
                samples.get(samples.size() - 1).seconds(), samples.get(samples.size() - 1).scored()));
        md.append("Every ").append(SAMPLE_SECONDS).append(" s: heap after GC (`jcmd <pid> GC.run` then "
                + "`GC.heap_info` in one attach: the heap still in use right after a full collection, which is "
                + "the live set, batches in flight included), `jvm_threads_live_threads` and `process_files_open_files` from `/q/metrics`, RSS "
                + "(`VmRSS` of `/proc/<pid>/status`) and `vigil_points_scored_total`. Trend: medians of the first "
                + "and last third of the samples after warm-up (the samples before ")
                .append(String.format(Locale.ROOT, "%.0f %% of the points were scored; %d samples judged), and the "
                        + "least-squares slope against points scored. Allowed rise: heap +%.0f %% + %.0f MiB, threads +%d, open files "
                        + "+%d; RSS is shown but not judged: the committed heap grows between samples and G1 gives it "
                        + "back after a full collection (the forced ones included), so RSS swings by a hundred MiB "
                        + "without a leak.%n%n", WARM_UP * 100, judged, HEAP_MARGIN * 100,
                        HEAP_MARGIN_MIB, THREADS_MARGIN, FILES_MARGIN));
        md.append("**").append(verdict).append("**\n\n");
        for (Trend t : trends) {
            md.append("- ").append(t.describe()).append('\n');
        }
        md.append(String.format(Locale.ROOT, "- delivery: %,d sent, %,d scored (`vigil_points_scored_total`), %,d result "
                + "lines with %,d distinct ids: **%,d lost, %,d duplicated**; %,d rejected, %,d HTTP failures%n%n",
                settings.points, scoredMetric, delivery.lines(), delivery.distinct(), delivery.lost(),
                delivery.duplicated(), rejected, httpFailures));
        md.append("![heap after GC, RSS, threads and open files over the soak](soak.svg)\n\n");
        md.append("| time (s) | points scored | heap after GC (MiB) | threads | open files | RSS (MiB) | load (1 min) |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Sample s : samples) {
            md.append(String.format(Locale.ROOT, "| %.0f | %,d | %.1f | %d | %d | %.1f | %.1f |%n", s.seconds(),
                    s.scored(), s.heapMiB(), s.threads(), s.openFiles(), s.rssMiB(), s.load()));
        }
        return md.toString();
    }
}
