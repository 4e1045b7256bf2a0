package dev.vigil.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code bin/vigil-demo}: starts Vigil (or uses a running one), streams a synthetic labelled sensor stream
 * through its file inbox and HTTP API, waits for every result and prints how the detections match the labels.
 * See {@link DemoOptions#USAGE}. Progress goes to stderr, the report to stdout.
 */
public final class Demo {
    static final double HTTP_SHARE = 0.15;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(120);
    /** With --url: the API key to send; a service the demo starts gets a key generated for the run instead. */
    static final String API_KEY_VARIABLE = "VIGIL_API_KEY";

    private Demo() {
    }

    public static void main(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("vigil-demo: " + e.getMessage());
            System.err.print(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(DemoOptions.USAGE);
            return;
        }
        try {
            System.exit(run(options));
        } catch (IOException | UncheckedIOException e) {
            System.err.println("vigil-demo: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            System.err.println("vigil-demo: interrupted");
            System.exit(1);
        }
    }

    static int run(DemoOptions options) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        if (options.url() != null) {
            String apiKey = System.getenv(API_KEY_VARIABLE);
            if (apiKey == null || apiKey.isBlank()) {
                progress("%s is not set: HTTP batches go without an API key, which only a service with "
                        + "vigil.security.enabled=false accepts", API_KEY_VARIABLE);
                apiKey = null;
            }
            return feedAndReport(options, http, options.url(), apiKey, options.dataDir(), options.url().toString());
        }
        // bin/vigil-demo passes the repository root; run by hand, the current folder is taken for it.
        Path home = Path.of(System.getProperty("vigil.demo.home", ".")).toAbsolutePath().normalize();
        Path runJar = home.resolve("target/vigil-runner.jar");
        if (!Files.isRegularFile(runJar)) {
            System.err.println("vigil-demo: " + runJar + " not found; build it first with: mvn -B package -DskipTests");
            return 2;
        }
        Path workDir = newWorkDir(home);
        progress("starting Vigil in %s", home.relativize(workDir));
        long start = System.nanoTime();
        try (ServiceProcess service = ServiceProcess.start(runJar, workDir, http, READY_TIMEOUT)) {
            progress("ready at %s after %.1f s", service.url(), (System.nanoTime() - start) / 1e9);
            String described = service.url() + " (started by the demo, log " + home.relativize(service.log()) + ")";
            int code = feedAndReport(options, http, service.url(), service.apiKey(), workDir.resolve("data"), described);
            progress("stopping Vigil; the work dir stays in %s", home.relativize(workDir));
            return code;
        }
    }

    /** A new folder under target/demo with a copy of routes/: the service reads file:routes/*.yaml from there. */
    private static Path newWorkDir(Path home) throws IOException {
        Path routes = home.resolve("routes");
        if (!Files.isDirectory(routes)) {
            throw new IOException(routes + " not found: run the demo from the repository (bin/vigil-demo)");
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path dir = home.resolve("target/demo/run-" + stamp);
        for (int n = 2; Files.exists(dir); n++) {
            dir = home.resolve("target/demo/run-" + stamp + "-" + n);
        }
        Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(routes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, dir.resolve("routes").resolve(file.getFileName()));
            }
        }
        Files.createDirectories(dir.resolve("data/inbox"));
        return dir;
    }

    private static int feedAndReport(DemoOptions options, HttpClient http, URI url, String apiKey, Path dataDir,
            String service)
            throws IOException, InterruptedException {
        // A tag per run keeps ids unique in a service's output files, which a running service keeps appending to.
        String runTag = "r" + Long.toString(System.currentTimeMillis(), 36);
        SensorStream stream = SensorStream.generate(options.seed(), options.points(), runTag + "-");
        Set<String> ids = stream.readings().stream().map(Reading::id).collect(Collectors.toUnmodifiableSet());
        Path inbox = dataDir.resolve("inbox");
        Files.createDirectories(inbox);
        ResultCollector collector = new ResultCollector(dataDir, ids);
        Feeder feeder = new Feeder(inbox, url, apiKey, http, collector);

        List<FeedPlan.Chunk> chunks = FeedPlan.chunks(stream, HTTP_SHARE);
        long files = chunks.stream().filter(c -> c.channel() == FeedPlan.Channel.FILE).count();
        progress("feeding %d readings from %d sensors (seed %d): %d CSV files into %s, %d HTTP batches",
                stream.size(), stream.sensorCount(), options.seed(), files, inbox, chunks.size() - files);
        long firstSend = System.nanoTime();
        Feeder.Sent sent = feeder.sendAll(chunks, runTag, firstSend + RESULT_TIMEOUT.toNanos());
        if (sent.problem() != null) {
            progress("%s", sent.problem());
        }
        collector.poll();
        Set<String> unsent = sent.unsent();

        List<String> missing = stream.readings().stream().map(Reading::id)
                .filter(id -> !unsent.contains(id) && !collector.isAnswered(id)).toList();
        double seconds = Math.max(0, collector.lastArrival() - firstSend) / 1e9;
        Summary.Run run = new Summary.Run(options.seed(), service, sent.file(), sent.http(), unsent.size(),
                collector.rejected().size(), collector.rejectionSummary(), missing, seconds);
        new Summary(stream, collector.outcomes()).print(System.out, run);
        return missing.isEmpty() && unsent.isEmpty() && collector.rejected().isEmpty() ? 0 : 1;
    }

    static void progress(String format, Object... args) {
        System.err.println("vigil-demo: " + String.format(Locale.ROOT, format, args));
    }
}
