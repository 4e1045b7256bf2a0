package dev.vigil.service.point;

import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The patterns no key, id, feature name or string value may contain ({@code vigil.validation.blocked-patterns}),
 * matched case-insensitively. Every point's id is new, so it is scanned every time; most texts contain no character
 * a blocked pattern can begin with, and {@link #find} settles those with a table look-up a character instead of a
 * regular-expression search (which, among the many patterns a service runs, costs about a microsecond for a short id).
 */
final class BlockedPatterns {
    private final List<Pattern> patterns;
    /** All patterns in one alternation: one scan per text; the list names the one that matched. */
    private final Pattern any;
    /**
     * The ASCII characters a match can begin with (found by trying each), or null when that cannot be told from the
     * start of a match alone (a lookbehind or a word boundary, or a pattern matching the empty text). Other characters
     * always search.
     */
    private final BitSet starts;

    BlockedPatterns(List<String> sources) {
        this.patterns = sources.stream().map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE)).toList();
        this.any = Pattern.compile(String.join("|", sources.stream().map(p -> "(?:" + p + ")").toList()),
                Pattern.CASE_INSENSITIVE);
        this.starts = startCharacters(any);
    }

    /** The first pattern {@code text} contains, or null. */
    String find(String text) {
        if (patterns.isEmpty() || starts != null && !mayStartMatch(text)) {
            return null;
        }
        if (!any.matcher(text).find()) {
            return null;
        }
        return patterns.stream().filter(p -> p.matcher(text).find()).map(Pattern::pattern).findFirst()
                .orElse(any.pattern());
    }

    private boolean mayStartMatch(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 128 || starts.get(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Each ASCII character with which a match may begin: a match from that character alone, or a search that ran out
     * of text before it failed ({@link Matcher#hitEnd()}) and so might match with more. A search that failed on the
     * one character fails on every text that begins with it. Lookbehinds and word boundaries look before the match,
     * which one character alone cannot show: no table then.
     */
    static BitSet startCharacters(Pattern pattern) {
        String source = pattern.pattern();
        if (source.contains("(?<") || source.contains("\\b") || source.contains("\\B") || source.contains("\\G")
                || pattern.matcher("").lookingAt()) {
            return null;
        }
        BitSet starts = new BitSet(128);
        for (char c = 0; c < 128; c++) {
            Matcher m = pattern.matcher(String.valueOf(c));
            if (m.lookingAt() || m.hitEnd()) {
                starts.set(c);
            }
        }
        return starts;
    }
}
