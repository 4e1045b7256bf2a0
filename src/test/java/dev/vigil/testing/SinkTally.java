package dev.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the file sinks of one test profile ({@link TestDirs}) received from one source since a {@link SinkMark}:
 * results by severity, rejections by reason, dead letters. {@link #lines} only counts lines, cheaply enough to poll
 * while a corpus is processed; {@link #read} parses every record and checks each rejection names its rule and, for
 * a rule about one feature, key or id, the field.
 */
public final class SinkTally {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rules about one feature, the key or the id: their rejections must name the field. */
    private static final Set<String> FIELD_RULES = Set.of("name_too_long", "name_pattern",
            "out_of_range", "not_finite", "string_too_long", "not_a_number", "wrong_type", "schema_missing_feature",
            "schema_extra_feature", "invalid_key", "duplicate_feature");

    public final Map<String, Long> results = new TreeMap<>();
    public final Map<String, Long> rejections = new TreeMap<>();
    public long deadLetters;
    /** Records of other sources, and rejections that do not name their rule or field (with the reason why). */
    public final List<String> problems = new ArrayList<>();

    private SinkTally() {
    }

    public long resultCount() {
        return results.values().stream().mapToLong(Long::longValue).sum();
    }

    public long rejectionCount() {
        return rejections.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Complete lines appended since {@code mark} to every result, rejected and dead-letter file. */
    public static long lines(TestDirs dirs, SinkMark mark) {
        return dirs.sinkFiles().stream().mapToLong(mark::lineCount).sum();
    }

    /** Parses every record appended since {@code mark}; those of another source than {@code source} are problems. */
    public static SinkTally read(TestDirs dirs, String source, SinkMark mark) {
        SinkTally t = new SinkTally();
        for (String severity : new String[] {"low", "medium", "high", "critical"}) {
            mark.forEachLine(dirs.sink(severity), line -> {
                JsonNode r = parse(line);
                if (!source.equals(r.path("source").asText())) {
                    t.problems.add("a result of another source: " + shorten(line));
                }
                t.results.merge(r.path("severity").asText(), 1L, Long::sum);
            });
        }
        mark.forEachLine(dirs.rejected(), line -> {
            JsonNode r = parse(line);
            String reason = r.path("reason").asText("");
            t.rejections.merge(reason, 1L, Long::sum);
            if (!source.equals(r.path("source").asText())) {
                t.problems.add("a rejection of another source: " + shorten(line));
            } else if (reason.isBlank() || r.path("message").asText("").isBlank()) {
                t.problems.add("a rejection without its rule or message: " + shorten(line));
            } else if (FIELD_RULES.contains(reason) && r.path("field").asText("").isEmpty()) {
                t.problems.add("a " + reason + " rejection that names no field: " + shorten(line));
            }
        });
        mark.forEachLine(dirs.deadLetter(), line -> t.deadLetters++);
        return t;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + shorten(line), e);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    @Override
    public String toString() {
        return "results " + results + ", rejections " + rejections + ", dead letters " + deadLetters;
    }
}
