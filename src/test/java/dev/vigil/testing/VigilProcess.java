package dev.vigil.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged jar ({@code target/vigil-runner.jar}, so only in {@code *IT} tests, after
 * {@code package}) as a child process: its own working folder, free local ports for the API and the management
 * port, the YAML routes of this checkout, {@link TestApiKeys#KEY} as its API key (by hash), no rate limit and the
 * inbox off unless the caller's properties say otherwise. Like the container ({@code src/main/docker/Dockerfile.jvm}),
 * it exits on an OutOfMemoryError instead of limping on. Console output is appended to {@code service.log} in the
 * working folder, across restarts.
 *
 * <p>{@link #stop()} is what Kubernetes does (SIGTERM, a graceful shutdown); {@link #kill()} is a crash (SIGKILL: no
 * shutdown hook, no last checkpoint, nothing flushed). Each is bounded, as is the wait for readiness, and a child
 * never outlives the test JVM.
 */
public final class VigilProcess implements AutoCloseable {
    public static final Path RUN_JAR = Path.of("target/vigil-runner.jar").toAbsolutePath();
    private static final Path ARCHIVE = RUN_JAR.resolveSibling("vigil-cds.jsa");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** How long a graceful stop may take before the process is killed. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** How long the operating system may take to end a killed process. */
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    /** Every child still running: none may outlive the test JVM ({@link #killAll}). */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(VigilProcess::killAll, "vigil-process-reaper"));
    }

    public final String name;
    public final Path dir;
    private final String heap;
    private final Map<String, String> properties;
    private final Process process;
    private final URI api;
    private final URI management;

    private VigilProcess(String name, Path dir, String heap, Map<String, String> properties) throws IOException {
        this.name = name;
        this.dir = Files.createDirectories(dir);
        this.heap = heap;
        this.properties = properties;
        int port = freePort();
        int managementPort = freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("quarkus.http.host", "127.0.0.1");
        all.put("quarkus.http.port", Integer.toString(port));
        all.put("quarkus.management.host", "127.0.0.1");
        all.put("quarkus.management.port", Integer.toString(managementPort));
        all.put("camel.main.routes-include-pattern", "file:" + Path.of("routes").toAbsolutePath() + "/*.yaml");
        all.put("vigil.security.api-key-hashes", TestApiKeys.CLIENT + ":" + TestApiKeys.sha256Hex(TestApiKeys.KEY));
        all.put("vigil.inbox.enabled", "false");
        all.put("vigil.throttle.max-per-minute", "0");
        all.putAll(properties);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+ExitOnOutOfMemoryError");
        // As the README starts it: with the class-data archive of the package step (a start with half the CPU). Only
        // when it is there: a flag naming a missing file turns off all class sharing.
        if (Files.exists(ARCHIVE)) {
            command.add("-XX:SharedArchiveFile=" + ARCHIVE);
        }
        all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(RUN_JAR.toString());
        this.process = new ProcessBuilder(command).directory(this.dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        RUNNING.add(process);
        this.api = URI.create("http://127.0.0.1:" + port);
        this.management = URI.create("http://127.0.0.1:" + managementPort);
    }

    /** Starts a process in {@code dir} and waits until it is ready; {@code properties} are system properties. */
    public static VigilProcess start(String name, Path dir, Map<String, String> properties) throws Exception {
        return start(name, dir, "256m", properties);
    }

    public static VigilProcess start(String name, Path dir, String heap, Map<String, String> properties)
            throws Exception {
        if (!Files.exists(RUN_JAR)) {
            throw new IllegalStateException("run after package: " + RUN_JAR);
        }
        VigilProcess v = new VigilProcess(name, dir, heap, new LinkedHashMap<>(properties));
        v.awaitReady();
        return v;
    }

    /**
     * Starts a process whose start is meant to fail and waits, at most as long as a start may take, until it has
     * exited; fails (and kills it) if it has not.
     */
    public static VigilProcess startExpectingExit(String name, Path dir, Map<String, String> properties)
            throws Exception {
        if (!Files.exists(RUN_JAR)) {
            throw new IllegalStateException("run after package: " + RUN_JAR);
        }
        VigilProcess v = new VigilProcess(name, dir, "256m", new LinkedHashMap<>(properties));
        if (!v.process.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            v.kill();
            throw new AssertionError(name + " did not exit within " + READY_TIMEOUT.toSeconds() + " s\n" + v.logTail());
        }
        return v;
    }

    /** The same configuration and folder again (after a {@link #kill()} or {@link #stop()}), on new ports. */
    public VigilProcess restart() throws Exception {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        return start(name, dir, heap, properties);
    }

    public URI api(String path) {
        return api.resolve(path);
    }

    public URI management(String path) {
        return management.resolve(path);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitCode() {
        return process.exitValue();
    }

    public Path log() {
        return dir.resolve("service.log");
    }

    /**
     * Waits until {@code /q/health/ready} answers 200, at most {@link #READY_TIMEOUT}; fails with the log's tail if
     * the process exits first or is not ready in time (and then kills it).
     */
    public void awaitReady() throws InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(management("/q/health/ready")).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited (" + process.exitValue() + ") before it was ready\n" + logTail());
            }
            try {
                if (Http.send(ready, HttpResponse.BodyHandlers.discarding(), Duration.ofSeconds(2)).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // starting
            }
            Thread.sleep(200);
        }
        kill();
        throw new AssertionError(name + " not ready within " + READY_TIMEOUT.toSeconds() + " s\n" + logTail());
    }

    /** A GET with the API key; the answer's status code and body. */
    public HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).header(TestApiKeys.HEADER, TestApiKeys.KEY).GET().build();
        return Http.send(request);
    }

    /** A POST with the API key. */
    public HttpResponse<String> post(String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(api(path)).header(TestApiKeys.HEADER, TestApiKeys.KEY)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return Http.send(request);
    }

    /** {@code GET /api/v1/status}, parsed. */
    public Map<String, Object> status() throws IOException, InterruptedException {
        HttpResponse<String> r = get(api("/api/v1/status"));
        assertEquals(200, r.statusCode(), r.body());
        return JsonLines.parse(r.body());
    }

    /** The Prometheus text of {@code /q/metrics}. */
    public String metrics() throws IOException, InterruptedException {
        HttpResponse<String> r = get(management("/q/metrics"));
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** SIGTERM (a graceful shutdown, as Kubernetes stops a pod), then SIGKILL after {@link #STOP_TIMEOUT}. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            kill();
        }
        RUNNING.remove(process);
    }

    /** SIGKILL: a crash, with no shutdown hook run. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(KILL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError(name + " (pid " + process.pid() + ") still alive " + KILL_TIMEOUT.toSeconds()
                    + " s after SIGKILL");
        }
        RUNNING.remove(process);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    /** The error lines and the last 30 lines of the log, for assertion messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ") || l.startsWith("Caused by:"))
                    .limit(10).toList();
            return "--- " + name + " ---\n" + String.join("\n", errors) + "\n...\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log of " + name + ")";
        }
    }

    /**
     * SIGKILL to every child still running: when the test JVM exits, and before its fork is killed for a timeout
     * (a kill runs no shutdown hook).
     */
    public static void killAll() {
        RUNNING.forEach(Process::destroyForcibly);
    }

    /** Deletes a test's folder from an earlier run. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
