package dev.vigil.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Vigil as a child process ({@code java -jar quarkus-run.jar}) in a working directory of its own, on a free
 * local port, without rate limits. Its console output goes to {@code service.log} there. Closing it stops
 * it the way an operator would (SIGTERM, so Quarkus shuts down cleanly), and forcibly if that takes too long.
 */
final class ServiceProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final URI url;
    private final URI management;
    private final Path log;
    private final Thread stopOnExit;

    private ServiceProcess(Process process, URI url, URI management, Path log) {
        this.process = process;
        this.url = url;
        this.management = management;
        this.log = log;
        // Ctrl-C on the demo must not leave the service running.
        this.stopOnExit = new Thread(process::destroy, "vigil-demo-stop-service");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts the service and waits until {@code /q/health/ready} (on the management port) answers 200. */
    static ServiceProcess start(Path runJar, Path workDir, HttpClient http, Duration readyTimeout)
            throws IOException, InterruptedException {
        int port = freePort();
        int managementPort = freePort();
        Path log = workDir.resolve("service.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPort,
                "-Dvigil.throttle.max-per-minute=0",
                "-jar", runJar.toAbsolutePath().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServiceProcess service = new ServiceProcess(process, URI.create("http://127.0.0.1:" + port),
                URI.create("http://127.0.0.1:" + managementPort), log);
        try {
            service.awaitReady(http, readyTimeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    URI url() {
        return url;
    }

    Path log() {
        return log;
    }

    /**
     * For error messages: the log's error and "Caused by" lines (a start-up failure's tail is mostly stack
     * frames), then its last lines.
     */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> causes = all.stream().filter(l -> l.contains(" ERROR ") || l.startsWith("Caused by:"))
                    .limit(10).toList();
            List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
            String last = "--- last " + tail.size() + " lines of " + log + " ---\n" + String.join("\n", tail);
            return causes.isEmpty() ? last : String.join("\n", causes) + "\n" + last;
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private void awaitReady(HttpClient http, Duration timeout) throws IOException, InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(management.resolve("/q/health/ready")).timeout(Duration.ofSeconds(2))
                .GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the service exited with code " + process.exitValue() + " before it was ready:\n"
                        + logTail(20));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // starting up: try again
            }
            Thread.sleep(250);
        }
        throw new IOException("the service was not ready within " + timeout.toSeconds() + " s:\n" + logTail(20));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway; the process is already gone
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
