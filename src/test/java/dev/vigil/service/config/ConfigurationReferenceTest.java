package dev.vigil.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference, docs/configuration.md, against the packaged configuration, the top-level
 * application.properties (the truth: when they differ, the table is wrong).
 *
 * <p>A row of the reference is {@code | `key` | default | meaning |}. A key written with a placeholder
 * ({@code vigil.throttle.source.<source>}) is a family row: it documents every key its placeholders match, and the
 * instance of such a key is what follows the row's fixed prefix ({@code file} for {@code vigil.throttle.source.file}).
 *
 * <p>The default cell is read as a main value and an optional note: {@code true (`%dev`: false)} has the main value
 * {@code true} and the note {@code `%dev`: false}. The rules:
 *
 * <ul>
 *   <li>Every {@code vigil.*} key of the file, set or commented out, has a row, and every row names a key of the
 *       file.
 *   <li>A key the file sets ({@code key=value} on an uncommented line) documented by its own row: the main value is
 *       the value, with or without backticks; or a number equal to it ({@code 1e10} for {@code 10000000000}),
 *       optionally followed by one unit word ({@code 500 ms}); or, for a comma-separated value, every element in
 *       backticks, in the file's order, separated by {@code ", "}.
 *   <li>A key the file sets documented by a family row: the cell holds {@code `instance`: value}
 *       ({@code `file`: 0}). A key set for a profile ({@code %dev.key=value}): its row's cell holds
 *       {@code `%dev`: value}.
 *   <li>A key the file only shows commented out has no value there: its main value is {@code unset} or {@code none},
 *       except the rows in {@link #COMPUTED}, whose default the code works out; their cells must read exactly as
 *       listed there.
 * </ul>
 */
class ConfigurationReferenceTest {
    private static final Path REFERENCE = Path.of("docs", "configuration.md");
    private static final Path PROPERTIES = Path.of("application.properties");

    /** A row's key and default cell; the meaning may hold escaped pipes ({@code \|}), the default holds none. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z][a-z0-9._<>-]*)` \\| ([^|]*?) \\|.*\\|$", Pattern.MULTILINE);
    private static final Pattern SET = Pattern.compile("^(%[a-z]+\\.)?([a-z][A-Za-z0-9._\"-]*)=(.*)$");
    private static final Pattern COMMENTED = Pattern.compile("^#\\s*([a-z][a-z0-9._-]*)=");
    private static final Pattern NOTE = Pattern.compile("^(.*?) \\((.*)\\)$");
    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("^(-?[0-9][0-9.eE+-]*)( (ms|s|MiB|bytes))?$");
    private static final Set<String> ABSENT = Set.of("unset", "none");

    /** Rows of keys the file leaves commented out whose default is worked out by the code: row key, cell, reason. */
    private static final Map<String, String[]> COMPUTED = Map.ofEntries(
            Map.entry("vigil.model.type", new String[] {"the preset's, else `isolation_forest`",
                "a preset may set it, so the file cannot"}),
            Map.entry("vigil.thresholds.mode", new String[] {"the preset's, else fixed",
                "a preset may set it, so the file cannot"}),
            Map.entry("vigil.warmup.points", new String[] {"the preset's, else the model's",
                "each model has its own warm-up, in ModelType"}),
            Map.entry("vigil.events.gap", new String[] {"the preset's, else 0",
                "a preset may set it, so the file cannot"}),
            Map.entry("vigil.model.params.<name>", new String[] {"model defaults",
                "each model has its own defaults, in the model's Builder and the models table of docs/models.md"}),
            Map.entry("vigil.transform.<name>.<param>", new String[] {"transform defaults",
                "each transform has its own defaults, listed with the transforms in docs/models.md"}),
            Map.entry("vigil.memory.max-mb", new String[] {"¼ of the heap",
                "computed at start from the maximum heap, so no fixed value can be written in the file"}),
            Map.entry("vigil.sink.per-record.<name>", new String[] {"false (`alerts`: true)",
                "a per-sink default in the code: results go grouped, alerts one message each"}));

    private static Map<String, String> rows;
    private static Map<String, String> set;
    private static Map<String, String> profiles;
    private static Set<String> commentedOnly;

    @BeforeAll
    static void read() throws IOException {
        rows = new LinkedHashMap<>();
        Matcher r = ROW.matcher(Files.readString(REFERENCE));
        while (r.find()) {
            assertFalse(rows.containsKey(r.group(1)), "two rows for " + r.group(1));
            rows.put(r.group(1), r.group(2).trim());
        }
        set = new LinkedHashMap<>();
        profiles = new LinkedHashMap<>();
        Set<String> commented = new LinkedHashSet<>();
        for (String line : Files.readAllLines(PROPERTIES)) {
            String l = line.strip();
            assertFalse(l.endsWith("\\"), "a continued line, which this test does not read: " + l);
            Matcher c = COMMENTED.matcher(l);
            if (c.find()) {
                commented.add(c.group(1));
            }
            Matcher s = SET.matcher(l);
            if (!l.startsWith("#") && s.matches()) {
                (s.group(1) == null ? set : profiles).put(s.group(1) == null ? s.group(2) : s.group(1) + s.group(2), s.group(3).strip());
            }
        }
        commentedOnly = new LinkedHashSet<>(commented);
        commentedOnly.removeAll(set.keySet());
        assertTrue(rows.size() > 40, "the table of " + REFERENCE + " was not found");
        assertTrue(set.size() > 40, "the keys of " + PROPERTIES + " were not found");
    }

    @Test
    void configurationReference_anyVigilKeyOfApplicationProperties_hasARow() {
        List<String> missing = new ArrayList<>();
        for (String key : allKeys()) {
            if (key.startsWith("vigil.") && rowOf(key).isEmpty()) {
                missing.add(key);
            }
        }
        assertTrue(missing.isEmpty(), "keys of " + PROPERTIES + " missing from " + REFERENCE + ": " + missing);
    }

    @Test
    void configurationReference_anyRow_namesAKeyOfApplicationProperties() {
        List<String> stale = new ArrayList<>();
        for (String row : rows.keySet()) {
            Pattern p = family(row);
            if (allKeys().stream().noneMatch(k -> p.matcher(k).matches())) {
                stale.add(row);
            }
        }
        assertTrue(stale.isEmpty(), "rows of " + REFERENCE + " naming no key of " + PROPERTIES + ": " + stale);
    }

    @Test
    void configurationReference_keySetInApplicationProperties_hasThatValueAsDefault() {
        List<String> wrong = new ArrayList<>();
        set.forEach((key, value) -> rowOf(key).ifPresent(row -> {
            String cell = rows.get(row);
            boolean ok = row.contains("<")
                    ? cell.contains("`" + key.substring(row.indexOf('<')) + "`: " + value)
                    : documents(cell, value);
            if (!ok) {
                wrong.add(key + "=" + value + " but the default reads '" + cell + "'");
            }
        }));
        profiles.forEach((profiled, value) -> {
            String profile = profiled.substring(0, profiled.indexOf('.'));
            String key = profiled.substring(profile.length() + 1);
            rowOf(key).map(rows::get).filter(cell -> !cell.contains("`" + profile + "`: " + value))
                    .ifPresent(cell -> wrong.add(profiled + "=" + value + " but the default reads '" + cell + "'"));
        });
        assertTrue(wrong.isEmpty(), "defaults of " + REFERENCE + " that differ from " + PROPERTIES + ":\n  "
                + String.join("\n  ", wrong));
    }

    @Test
    void configurationReference_keyOnlyCommentedOut_isDocumentedAsUnsetOrComputed() {
        List<String> wrong = new ArrayList<>();
        for (String key : commentedOnly) {
            rowOf(key).ifPresent(row -> {
                String cell = rows.get(row);
                String[] computed = COMPUTED.get(row);
                if (computed != null ? !cell.equals(computed[0]) : !ABSENT.contains(main(cell))) {
                    wrong.add(key + " (row " + row + ") reads '" + cell + "', expected "
                            + (computed != null ? "'" + computed[0] + "' (" + computed[1] + ")" : "unset or none"));
                }
            });
        }
        assertTrue(wrong.isEmpty(), "keys " + PROPERTIES + " leaves commented out:\n  " + String.join("\n  ", wrong));
    }

    @Test
    void documents_documentedForms_matchTheirValues() {
        assertTrue(documents("1e10", "1e10"));
        assertTrue(documents("1e10", "10000000000"));
        assertTrue(documents("500 ms", "500"));
        assertTrue(documents("`data/inbox`", "data/inbox"));
        assertTrue(documents("true (`%dev`: false)", "true"));
        assertTrue(documents("`a`, `b[(]`", "a,b[(]"));
        assertFalse(documents("0.99", "0.999"));
        assertFalse(documents("`file:data/out/high?...`", "file:data/out/high?fileName=results.jsonl"));
        assertFalse(documents("`b`, `a`", "a,b"));
        assertFalse(documents("identifier, IPv4, UUID", "^[a-z]+$,^[0-9]+$"));
        assertEquals("true", main("true (`%dev`: false)"));
    }

    /** Whether a default cell documents the value, by the rules of the class comment. */
    static boolean documents(String cell, String value) {
        String main = main(cell);
        if (unquote(main).equals(value)) {
            return true;
        }
        Matcher n = NUMBER_WITH_UNIT.matcher(main);
        if (n.matches() && isNumber(n.group(1)) && isNumber(value)
                && Double.parseDouble(n.group(1)) == Double.parseDouble(value)) {
            return true;
        }
        return value.contains(",") && main.equals(
                Pattern.compile(",").splitAsStream(value).map(e -> "`" + e + "`").collect(Collectors.joining(", ")));
    }

    /** The cell without its trailing note in parentheses. */
    static String main(String cell) {
        Matcher m = NOTE.matcher(cell);
        return m.matches() ? m.group(1) : cell;
    }

    private static String unquote(String s) {
        return s.length() > 1 && s.startsWith("`") && s.endsWith("`") && s.indexOf('`', 1) == s.length() - 1
                ? s.substring(1, s.length() - 1)
                : s;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return !s.endsWith("d") && !s.endsWith("f") && !s.endsWith("D") && !s.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Set<String> allKeys() {
        Set<String> keys = new LinkedHashSet<>(set.keySet());
        keys.addAll(commentedOnly);
        return keys;
    }

    /** The key's own row, else the family row that documents it. */
    private static Optional<String> rowOf(String key) {
        if (rows.containsKey(key)) {
            return Optional.of(key);
        }
        return rows.keySet().stream().filter(row -> row.contains("<") && family(row).matcher(key).matches()).findFirst();
    }

    /** vigil.model.params.<name> as a pattern matching every vigil.model.params.x. */
    private static Pattern family(String row) {
        return Pattern.compile(Pattern.quote(row).replaceAll("<[^>]+>", "\\\\E[a-z0-9_-]+\\\\Q"));
    }
}
