package dev.vigil.service.point;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BlockedPatternsTest {
    private static final List<String> DEFAULTS = List.of("<script.*?>", "javascript:", "eval[(]", "__.*__");

    /** The defaults can only begin with these pairs: a text without any is settled without a search. */
    @Test
    void defaults_matchesBeginOnlyWithTheirFirstTwoLetters() {
        Pattern any = Pattern.compile("(?:<script.*?>)|(?:javascript:)|(?:eval[(])|(?:__.*__)", Pattern.CASE_INSENSITIVE);
        BitSet singles = BlockedPatterns.starts(any, 1, null);
        BitSet expected = new BitSet();
        "<jJeE_".chars().forEach(c -> expected.set(c - ' '));
        assertEquals(expected, singles);
        BitSet pairs = BlockedPatterns.starts(any, 2, singles);
        assertEquals(11, pairs.cardinality()); // <s <S, ja in four cases, ev in four, __
        assertTrue(pairs.get(('e' - ' ') * 95 + 'V' - ' '));
        assertFalse(pairs.get(('e' - ' ') * 95 + '4' - ' '));
    }

    @Test
    void patternsThatLookBehindTheMatch_haveNoTable() {
        for (String p : List.of("(?<=x)y", "\\b-", "\\Ba", "\\Gq", "z*")) {
            assertFalse(BlockedPatterns.startsTellMatches(Pattern.compile(p)), p);
        }
        assertTrue(BlockedPatterns.startsTellMatches(Pattern.compile("eval[(]")));
    }

    /** Whatever the patterns, the answer is the full search's, on texts made of their own characters and others. */
    @Test
    void anyText_sameAnswerAsTheFullSearch() {
        List<List<String>> sets = List.of(DEFAULTS, List.of("[0-9]{3}-[0-9]{4}", "DROP\\s+TABLE"),
                List.of("(?<=x)y", "\\b-"), List.of("\\Ba"), List.of("(?=ab)a"), List.of("a|b*"), List.of("x", "a(?=$)"),
                List.of("b\\s+c"));
        Random random = new Random(7);
        String alphabet = "<>_-xyabcAB012 ()eEvVlLjJsSDROPTdropt:\t\u00e9\u212a";
        for (List<String> set : sets) {
            BlockedPatterns blocked = new BlockedPatterns(set);
            List<Pattern> full = set.stream().map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE)).toList();
            for (int i = 0; i < 20_000; i++) {
                StringBuilder text = new StringBuilder();
                for (int n = random.nextInt(10); n > 0; n--) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String t = text.toString();
                String expected = full.stream().filter(p -> p.matcher(t).find()).map(Pattern::pattern).findFirst()
                        .orElse(null);
                assertEquals(expected, blocked.find(t), set + " on '" + t + "'");
            }
        }
        // Texts that do contain the defaults, found with the pattern that matched.
        BlockedPatterns defaults = new BlockedPatterns(DEFAULTS);
        assertEquals("javascript:", defaults.find("id-JavaScript:alert"));
        assertEquals("__.*__", defaults.find("m123__proto__"));
        assertNull(defaults.find("m2400123"));
        assertNull(defaults.find("3e4f9c2e-8b1d-4e0a-9f6e-2d7c5b8a1e3f"));
        assertEquals("eval[(]", defaults.find("x-EVAL(1)"));
    }
}
