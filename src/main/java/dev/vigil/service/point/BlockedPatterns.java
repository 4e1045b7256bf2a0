package dev.vigil.service.point;

import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The patterns no key, id, feature name or string value may contain ({@code vigil.validation.blocked-patterns}),
 * matched case-insensitively. Every point's id is new, so it is scanned every time; most texts contain no two
 * characters a blocked match can begin with, and {@link #find} settles those with a table look-up a character instead
 * of a regular-expression search (which, among the many patterns a service runs, costs about a microsecond for a
 * short id). Pairs rather than single characters: ids are full of the letters the defaults begin with (a UUID's
 * hex digits hold an e, as does eval), rarely of the pairs (ev).
 */
final class BlockedPatterns {
    /** The tables cover printable ASCII; a text with any other character is always searched. */
    private static final char FIRST = 32;
    private static final char LAST = 126;
    private static final int RANGE = LAST - FIRST + 1;

    private final List<Pattern> patterns;
    /** All patterns in one alternation: one scan per text; the list names the one that matched. */
    private final Pattern any;
    /**
     * The pairs of characters a match can begin with, and the single characters a match can begin with at the end
     * of a text (found by trying each), or null when that cannot be told from the start of a match alone (a
     * lookbehind or a word boundary, or a pattern matching the empty text).
     */
    private final BitSet pairs;
    private final BitSet singles;

    BlockedPatterns(List<String> sources) {
        this.patterns = sources.stream().map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE)).toList();
        this.any = Pattern.compile(String.join("|", sources.stream().map(p -> "(?:" + p + ")").toList()),
                Pattern.CASE_INSENSITIVE);
        boolean tables = !patterns.isEmpty() && startsTellMatches(any);
        this.singles = tables ? starts(any, 1, null) : null;
        this.pairs = tables ? starts(any, 2, singles) : null;
    }

    /** The first pattern {@code text} contains, or null. */
    String find(String text) {
        if (patterns.isEmpty() || pairs != null && !mayStartMatch(text)) {
            return null;
        }
        if (!any.matcher(text).find()) {
            return null;
        }
        return patterns.stream().filter(p -> p.matcher(text).find()).map(Pattern::pattern).findFirst()
                .orElse(any.pattern());
    }

    private boolean mayStartMatch(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char a = text.charAt(i);
            if (a < FIRST || a > LAST) {
                return true;
            }
            if (i + 1 == n) {
                return singles.get(a - FIRST);
            }
            char b = text.charAt(i + 1);
            if (b < FIRST || b > LAST || pairs.get((a - FIRST) * RANGE + b - FIRST)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a match's first characters tell whether it may match there: not when the pattern looks before the match
     * (lookbehinds, word boundaries), nor when it matches the empty text.
     */
    static boolean startsTellMatches(Pattern pattern) {
        String source = pattern.pattern();
        return !(source.contains("(?<") || source.contains("\\b") || source.contains("\\B")
                || source.contains("\\G") || pattern.matcher("").lookingAt());
    }

    /**
     * Each text of {@code length} printable ASCII characters with which a match may begin: a match from it, or a
     * search that ran out of text before it failed ({@link Matcher#hitEnd()}) and so might match with more. A search
     * that failed on those characters fails on every text that begins with them, so pairs are tried only after a
     * first character in {@code singles} (a few hundred searches at start-up instead of 9,025). Indexed by the
     * characters' offsets from {@link #FIRST}, the first one most significant.
     */
    static BitSet starts(Pattern pattern, int length, BitSet singles) {
        int texts = length == 1 ? RANGE : RANGE * RANGE;
        BitSet starts = new BitSet(texts);
        Matcher m = pattern.matcher("");
        for (int i = 0; i < texts; i++) {
            if (length == 2 && !singles.get(i / RANGE)) {
                i += RANGE - 1;
                continue;
            }
            String text = length == 1 ? String.valueOf((char) (FIRST + i))
                    : new String(new char[] {(char) (FIRST + i / RANGE), (char) (FIRST + i % RANGE)});
            m.reset(text);
            if (m.lookingAt() || m.hitEnd()) {
                starts.set(i);
            }
        }
        return starts;
    }
}
