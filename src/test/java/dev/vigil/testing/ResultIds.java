package dev.vigil.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Counting results by id, for the throughput tests that await every result once. */
public final class ResultIds {
    private ResultIds() {
    }

    /** Counts the result line's id in {@code seen} if it belongs to the run named {@code prefix}. */
    public static void count(String line, String prefix, Map<String, Integer> seen) {
        String id = idOf(line);
        if (id != null && id.startsWith(prefix + "-")) {
            seen.merge(id, 1, Integer::sum);
        }
    }

    /** The ids seen more than once. */
    public static List<String> twice(Map<String, Integer> seen) {
        List<String> twice = new ArrayList<>();
        seen.forEach((id, count) -> {
            if (count > 1) {
                twice.add(id);
            }
        });
        return twice;
    }

    /** The id of a result line, without parsing the whole of it; null when it has none. */
    static String idOf(String line) {
        int at = line.indexOf("\"id\":\"");
        if (at < 0) {
            return null;
        }
        int from = at + 6;
        return line.substring(from, line.indexOf('"', from));
    }
}
