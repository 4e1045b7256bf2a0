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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Vigil as a child process ({@code java -jar vigil-runner.jar}) in a working directory of its own, on a free
 * local port, without rate limits, accepting one API key generated for the run. Its console output goes to
 * {@code service.log} there. Closing it stops it the way an operator would (SIGTERM, so Quarkus shuts down
 * cleanly), and forcibly if that takes too long.
 */
final class ServiceProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** The client name of the demo's key: throttling and security events name it. */
    static final String CLIENT = "vigil-demo";

    private final Process process;
    private final URI url;
    private final URI management;
    private final Path log;
    private final String apiKey;
    private final Thread stopOnExit;

    private ServiceProcess(Process process, URI url, URI management, Path log, String apiKey) {
        this.process = process;
        this.url = url;
        this.management = management;
        this.log = log;
        this.apiKey = apiKey;
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
        String apiKey = newApiKey();
        // The service gets the key's hash only: a command line is visible to every local user, the hash is no secret.
        Process process = new ProcessBuilder(java,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + managementPort,
                "-Dvigil.throttle.max-per-minute=0",
                "-Dvigil.security.api-key-hashes=" + CLIENT + ":" + sha256Hex(apiKey),
                "-jar", runJar.toAbsolutePath().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServiceProcess service = new ServiceProcess(process, URI.create("http://127.0.0.1:" + port),
                URI.create("http://127.0.0.1:" + managementPort), log, apiKey);
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

    /** The API key the service accepts from the demo (for the X-API-Key header). */
    String apiKey() {
        return apiKey;
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

    /** 256 random bits, as hex: what {@code openssl rand -hex 32} would give. */
    private static String newApiKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    /** As {@code printf %s "$KEY" | sha256sum} prints it. */
    static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
