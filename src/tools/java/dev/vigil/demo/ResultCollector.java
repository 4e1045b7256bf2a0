package dev.vigil.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Follows the service's output under a data folder, {@code out/<sink>/results.jsonl} and
 * {@code rejected/rejected.jsonl} (JSON lines, appended), and keeps the outcome of every reading of this run.
 * Lines already there when it starts belong to earlier runs and are skipped; a line still being written is
 * left for the next poll. Results the HTTP API answers directly are recorded too, whichever arrives first.
 */
final class ResultCollector {
    private static final long MIN_POLL_NANOS = 40_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path outDir;
    private final Path rejectedFile;
    private final Map<Path, Long> offsets = new HashMap<>();
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Set<String> rejected = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> rejectionReasons = new TreeMap<>();
    private final Map<String, String> rejectionExamples = new HashMap<>();
    private final Set<String> ours;
    private long lastPoll;
    private volatile long lastArrival;

    /** {@code ours}: the ids of this run; anything else in the files is ignored. */
    ResultCollector(Path dataDir, Set<String> ours) throws IOException {
        this.outDir = dataDir.resolve("out");
        this.rejectedFile = dataDir.resolve("rejected").resolve("rejected.jsonl");
        this.ours = ours;
        for (Path file : files()) {
            offsets.put(file, Files.size(file));
        }
    }

    /** Reads what was appended since the last poll; callers may poll freely, it runs at most every 40 ms. */
    synchronized void poll() {
        long now = System.nanoTime();
        if (now - lastPoll < MIN_POLL_NANOS) {
            return;
        }
        lastPoll = now;
        try {
            for (Path file : files()) {
                boolean isRejected = file.equals(rejectedFile);
                for (String line : newLines(file)) {
                    JsonNode node = JSON.readTree(line);
                    if (isRejected) {
                        recordRejected(node);
                    } else {
                        recordResult(node);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void recordResult(JsonNode r) {
        String id = r.path("id").asText(null);
        if (id == null || !ours.contains(id)) {
            return;
        }
        Outcome outcome = new Outcome(id, r.path("source").asText(), r.path("severity").asText(),
                r.path("isAnomaly").asBoolean(), r.path("model").asText(), r.path("state").asText());
        if (outcomes.putIfAbsent(id, outcome) == null) {
            lastArrival = System.nanoTime();
        }
    }

    synchronized void recordRejected(JsonNode r) {
        String id = r.path("id").asText(null);
        if (id != null && ours.contains(id) && rejected.add(id)) {
            lastArrival = System.nanoTime();
            String reason = r.path("reason").asText("unknown");
            rejectionReasons.merge(reason, 1, Integer::sum);
            rejectionExamples.putIfAbsent(reason, r.path("message").asText(""));
        }
    }

    /**
     * The rejections of this run by reason, with the first message of each: {@code schema_mismatch 600 ("...")}.
     * The demo's readings are valid as generated, so any rejection means the service disagrees with the stream.
     */
    synchronized String rejectionSummary() {
        StringBuilder sb = new StringBuilder();
        rejectionReasons.forEach((reason, n) -> sb.append(sb.length() == 0 ? "" : "; ").append(reason).append(' ')
                .append(n).append(" (e.g. \"").append(rejectionExamples.get(reason)).append("\")"));
        return sb.toString();
    }

    boolean isAnswered(String id) {
        return outcomes.containsKey(id) || rejected.contains(id);
    }

    /** Polls until every id is answered (true) or the deadline ({@link System#nanoTime()}) passes (false). */
    boolean awaitAll(Collection<String> ids, long deadline) throws InterruptedException {
        while (true) {
            poll();
            if (ids.stream().allMatch(this::isAnswered)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
    }

    Map<String, Outcome> outcomes() {
        return outcomes;
    }

    Set<String> rejected() {
        return rejected;
    }

    /** {@link System#nanoTime()} when the last new answer came in. */
    long lastArrival() {
        return lastArrival;
    }

    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(outDir)) {
            try (Stream<Path> sinks = Files.list(outDir)) {
                sinks.map(d -> d.resolve("results.jsonl")).filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        if (Files.isRegularFile(rejectedFile)) {
            files.add(rejectedFile);
        }
        return files;
    }

    /** The complete lines appended since the last read; the offset moves past them only. */
    private List<String> newLines(Path file) throws IOException {
        long from = offsets.getOrDefault(file, 0L);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < from) {
                from = 0; // replaced by a shorter file: start over
            }
            if (size == from) {
                return List.of();
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
                // read until full
            }
            byte[] bytes = buffer.array();
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            offsets.put(file, from + end);
            String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
            return text.lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
