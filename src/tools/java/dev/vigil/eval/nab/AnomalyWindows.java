package dev.vigil.eval.nab;

import dev.vigil.eval.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labelled anomaly windows of a corpus, in NAB's {@code combined_windows.json} format:
 * {@code {"<category>/<file>.csv": [[start, end], ...], ...}}, timestamps {@code YYYY-MM-DD HH:MM:SS.ffffff}.
 * A file with no anomaly has an empty list; a file missing from the map is not part of the corpus.
 */
public final class AnomalyWindows {
    /** One window as labelled: the timestamps of its first and last rows (both inclusive). */
    public record Limits(LocalDateTime start, LocalDateTime end) {
    }

    private final Map<String, List<Limits>> byFile;

    private AnomalyWindows(Map<String, List<Limits>> byFile) {
        this.byFile = byFile;
    }

    public static AnomalyWindows read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public static AnomalyWindows parse(String json) {
        if (!(Json.parse(json) instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("windows: expected an object of file names");
        }
        Map<String, List<Limits>> byFile = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String file = (String) e.getKey();
            if (!(e.getValue() instanceof List<?> windows)) {
                throw new IllegalArgumentException("windows of " + file + ": expected a list of [start, end]");
            }
            List<Limits> limits = new ArrayList<>();
            for (Object w : windows) {
                if (!(w instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof String start)
                        || !(pair.get(1) instanceof String end)) {
                    throw new IllegalArgumentException("windows of " + file + ": expected [start, end], was " + w);
                }
                limits.add(new Limits(NabTimestamps.parse(start), NabTimestamps.parse(end)));
            }
            byFile.put(file, List.copyOf(limits));
        }
        return new AnomalyWindows(byFile);
    }

    /** Every file name the windows cover, in file order. */
    public List<String> files() {
        return List.copyOf(byFile.keySet());
    }

    /**
     * The windows entry a series belongs to: the entry named {@code name}, or else the only entry ending in
     * {@code "/" + name}, so a single file given without its category folder still finds its windows.
     *
     * @throws IllegalArgumentException when there is no such entry, or more than one
     */
    public String entryFor(String name) {
        if (byFile.containsKey(name)) {
            return name;
        }
        List<String> matches = byFile.keySet().stream().filter(k -> k.endsWith("/" + name)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new IllegalArgumentException(matches.isEmpty() ? "the windows file has no entry for '" + name + "'"
                : "the windows file has several entries ending in '" + name + "': " + matches);
    }

    /** The windows of an entry {@link #entryFor} returned, in time order. */
    public List<Limits> of(String entry) {
        List<Limits> limits = byFile.get(entry);
        if (limits == null) {
            throw new IllegalArgumentException("the windows file has no entry for '" + entry + "'");
        }
        return limits;
    }
}
