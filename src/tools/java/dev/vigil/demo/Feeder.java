package dev.vigil.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Sends readings to the service: as CSV files into its inbox, or as JSON arrays to {@code POST /api/v1/score}
 * with the demo's API key, whose answers go straight to the {@link ResultCollector}. {@link #sendAll} sends a {@link FeedPlan} chunk by
 * chunk, each once the one before is answered: the inbox processes files in parallel, and waiting is what keeps
 * every sensor's readings reaching its model in time order.
 */
final class Feeder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path inbox;
    private final URI scoreUri;
    private final String apiKey;
    private final HttpClient http;
    private final ResultCollector collector;

    /** {@code apiKey} null sends no key (for a service with {@code vigil.security.enabled=false}). */
    Feeder(Path inbox, URI baseUrl, String apiKey, HttpClient http, ResultCollector collector) {
        this.inbox = inbox;
        this.scoreUri = baseUrl.resolve("/api/v1/score");
        this.apiKey = apiKey;
        this.http = http;
        this.collector = collector;
    }

    /** What was sent: readings per channel, the ids never sent, and why (null when everything went). */
    record Sent(int file, int http, Set<String> unsent, String problem) {
    }

    /** Sends the chunks in order; stops at the first failure, or when the deadline passes without an answer. */
    Sent sendAll(List<FeedPlan.Chunk> chunks, String runTag, long deadline) throws InterruptedException {
        int file = 0;
        int http = 0;
        int files = 0;
        for (int c = 0; c < chunks.size(); c++) {
            FeedPlan.Chunk chunk = chunks.get(c);
            boolean isFile = chunk.channel() == FeedPlan.Channel.FILE;
            String what = isFile ? String.format(Locale.ROOT, "%s-part-%02d.csv", runTag, ++files)
                    : "HTTP batch " + (c + 1);
            try {
                if (isFile) {
                    dropFile(what, chunk.readings());
                    file += chunk.readings().size();
                } else {
                    post(chunk.readings(), deadline);
                    http += chunk.readings().size();
                }
            } catch (IOException e) {
                return new Sent(file, http, idsFrom(chunks, c), "sending " + what + " failed: " + e.getMessage());
            }
            if (!collector.awaitAll(chunk.readings().stream().map(Reading::id).toList(), deadline)) {
                return new Sent(file, http, idsFrom(chunks, c + 1), "no complete answer for " + what + " in time");
            }
        }
        return new Sent(file, http, Set.of(), null);
    }

    private static Set<String> idsFrom(List<FeedPlan.Chunk> chunks, int first) {
        return chunks.subList(first, chunks.size()).stream().flatMap(c -> c.readings().stream()).map(Reading::id)
                .collect(Collectors.toSet());
    }

    /**
     * Writes the file under a hidden temporary name in the inbox, then renames it: the rename is atomic, so the
     * service never picks up half a file (and it skips dot-files and names not ending in .csv).
     */
    void dropFile(String name, List<Reading> rows) throws IOException {
        StringBuilder csv = new StringBuilder(rows.size() * 64).append(Reading.CSV_HEADER).append('\n');
        rows.forEach(r -> csv.append(r.csvLine()).append('\n'));
        Path tmp = inbox.resolve("." + name + ".tmp");
        Files.writeString(tmp, csv, StandardCharsets.UTF_8);
        Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Posts one batch and records its results; waits and retries while the service answers 429. */
    void post(List<Reading> batch, long deadline) throws IOException, InterruptedException {
        String body = batch.stream().map(Reading::json).collect(Collectors.joining(",", "[", "]"));
        HttpRequest.Builder builder = HttpRequest.newBuilder(scoreUri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (apiKey != null) {
            builder.header("X-API-Key", apiKey);
        }
        HttpRequest request = builder.build();
        while (true) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 429 && System.nanoTime() < deadline) {
                long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep(Math.max(1, seconds) * 1000);
                continue;
            }
            if (status == 401) {
                throw new IOException("POST " + scoreUri + " answered 401 (" + response.body() + "); with --url, set "
                        + "VIGIL_API_KEY to a key that service accepts");
            }
            if (status != 200 && status != 400) {
                throw new IOException("POST " + scoreUri + " answered " + status + ": " + response.body());
            }
            // 400 with "rejected" means nothing in the batch was valid; those readings are answered too.
            JsonNode answer = JSON.readTree(response.body());
            answer.path("results").forEach(collector::recordResult);
            answer.path("rejected").forEach(collector::recordRejected);
            if (status == 400 && !answer.has("rejected")) {
                throw new IOException("POST " + scoreUri + " answered 400: " + response.body());
            }
            return;
        }
    }
}
