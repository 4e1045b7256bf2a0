package dev.vigil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README and the pages of docs/ stay navigable from a clone: the README is short and carries no status notes,
 * every relative link reaches a file of the repository and, with an {@code #anchor}, a heading of that file, and every
 * page of docs/ is linked from the README. Plain JUnit: no Quarkus.
 *
 * <p>Links are the inline ones ({@code [text](path)}, {@code ![alt](path)}, {@code [text](path#anchor)},
 * {@code [text](#anchor)}) and reference definitions ({@code [name]: path}), outside fenced code blocks and code
 * spans. A link with a scheme ({@code https:}, {@code mailto:}) is not checked. Headings are ATX headings
 * ({@code ## Title}); their anchors follow GitHub's rule (see {@link #anchor(String)}), with {@code -1}, {@code -2}
 * for repeated headings, plus explicit {@code <a id="...">} or {@code <a name="...">}.
 */
class DocsTest {
    static final Path ROOT = Path.of("").toAbsolutePath().normalize();
    static final Path README = ROOT.resolve("README.md");
    static final Path DOCS = ROOT.resolve("docs");
    static final int README_MAX_LINES = 250;

    private static final Pattern FENCE = Pattern.compile("(?ms)^ {0,3}(```|~~~).*?^ {0,3}\\1[^\\n]*$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)((?:(?!\\n[ \\t]*\\n).)+?)\\1", Pattern.DOTALL);
    private static final Pattern INLINE_LINK =
            Pattern.compile("\\[[^\\[\\]]*\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");
    private static final Pattern HEADING = Pattern.compile("(?m)^ {0,3}(#{1,6})[ \\t]+(.*?)(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*:|//)");

    /** Status notes: "issue 3", "issues 4", "Issue #5", "#12", and a "**Status**" or "Status:" label opening a line. */
    private static final List<Pattern> STATUS = List.of(
            Pattern.compile("(?i)\\bissues?\\s*#?\\s*\\d+"),
            Pattern.compile("(?<![\\w&/#])#\\d+\\b"),
            Pattern.compile("(?im)^[>\\s]*(?:(?:\\*\\*|__)status\\b|status:)"));

    @Test
    void readme_lineCount_isAtMost250() throws IOException {
        long lines = Files.readAllLines(README).size();
        assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines, at most " + README_MAX_LINES
                + " are allowed: move detail to a page of docs/ and link it");
    }

    @Test
    void readme_text_hasNoSharedPathsNorStatusReferences() throws IOException {
        List<String> found = new ArrayList<>();
        List<String> lines = Files.readAllLines(README);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("../shared")) {
                found.add("README.md:" + (i + 1) + " names ../shared, which a clone does not have: " + line.strip());
            }
            for (Pattern p : STATUS) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    found.add("README.md:" + (i + 1) + " holds a status reference '" + m.group() + "': " + line.strip());
                }
            }
        }
        assertTrue(found.isEmpty(), String.join("\n", found));
    }

    @Test
    void relativeLinks_inReadmeAndDocs_resolveToFilesAndHeadings() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            broken.addAll(brokenLinks(ROOT, page));
        }
        assertTrue(broken.isEmpty(), "broken links:\n  " + String.join("\n  ", broken));
    }

    @Test
    void docsPages_everyPage_isLinkedFromReadme() throws IOException {
        Set<Path> linked = links(Files.readString(README)).stream()
                .filter(link -> !SCHEME.matcher(link).find())
                .map(link -> README.getParent().resolve(decode(link.split("#", 2)[0])).normalize())
                .collect(Collectors.toSet());
        List<String> unlinked = docsPages().stream().filter(p -> !linked.contains(p))
                .map(p -> ROOT.relativize(p).toString()).collect(Collectors.toList());
        assertTrue(unlinked.isEmpty(), "pages of docs/ not linked from README.md (add them to 'Where to go next'): "
                + unlinked);
    }

    @Test
    void docsPages_everyPage_opensWithATitleAndASummary() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Path page : docsPages()) {
            List<String> lines = Files.readAllLines(page);
            String first = lines.isEmpty() ? "" : lines.get(0);
            String next = lines.stream().skip(1).filter(l -> !l.isBlank()).findFirst().orElse("");
            if (!first.startsWith("# ")) {
                wrong.add(page.getFileName() + ": the first line is not a '# ' title");
            } else if (next.startsWith("#") || next.startsWith("|") || next.startsWith("```")) {
                wrong.add(page.getFileName() + ": no summary paragraph under the title");
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void docsPages_longerThan100Lines_linkEverySectionFromTheirContents() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path page : docsPages()) {
            String text = Files.readString(page);
            if (text.lines().count() <= 100) {
                continue;
            }
            Set<String> linked = links(text).stream().filter(l -> l.startsWith("#")).map(l -> l.substring(1))
                    .collect(Collectors.toSet());
            Matcher h = HEADING.matcher(stripFences(text));
            while (h.find()) {
                if (h.group(1).length() == 2 && !linked.contains(anchor(h.group(2)))) {
                    missing.add(page.getFileName() + ": ## " + h.group(2));
                }
            }
        }
        assertTrue(missing.isEmpty(), "sections missing from their page's contents line:\n  "
                + String.join("\n  ", missing));
    }

    @Test
    void anchor_githubRule_lowerCasesDropsPunctuationAndHyphenatesSpaces() {
        assertEquals("metrics-health-and-alerts", anchor("Metrics, health and alerts"));
        assertEquals("memory-precision", anchor("Memory: precision"));
        assertEquals("bugs-these-tests-found-all-fixed", anchor("Bugs these tests found, all fixed"));
        assertEquals("where-the-targets-stand-run-of-2026-11-25-tables-below",
                anchor("Where the targets stand (run of 2026-11-25, tables below)"));
        assertEquals("vigilmodeltype-and-more", anchor("`vigil.model.type` and *more*"));
        assertEquals("see-the-api", anchor("See [the API](http-api.md)"));
        assertEquals("snake_case--two-spaces", anchor("snake_case  two spaces"));
    }

    @Test
    void brokenLinks_missingFileAnchorOrOutsidePath_areEachReported(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/a.md"), "# A\n\n## Same name\n\n## Same name\n\n```\n## Not a heading\n```\n");
        Files.writeString(root.resolve("README.md"), String.join("\n",
                "# R",
                "[ok](docs/a.md) [ok](docs/a.md#same-name) [ok](docs/a.md#same-name-1) [ok](#r) [ok](https://x.org/y)",
                "[`code` text](docs/a.md) ![image](docs/a.md) `[not a link](nowhere.md)`",
                "[missing file](docs/b.md) [missing anchor](docs/a.md#not-a-heading) [outside](../shared/x.md)",
                "[missing here](#nowhere)",
                "```",
                "[in a fence](nowhere.md)",
                "```",
                "[ref]: docs/c.md"));
        List<String> broken = brokenLinks(root, root.resolve("README.md"));
        assertEquals(5, broken.size(), String.join("\n", broken));
        assertTrue(broken.get(0).contains("docs/b.md") && broken.get(1).contains("#not-a-heading")
                && broken.get(2).contains("../shared/x.md") && broken.get(3).contains("#nowhere")
                && broken.get(4).contains("docs/c.md"), String.join("\n", broken));
    }

    /** The broken relative links of a page, each as "page: (link): why". */
    static List<String> brokenLinks(Path root, Path page) throws IOException {
        String text = Files.readString(page);
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (String link : links(text)) {
            if (SCHEME.matcher(link).find()) {
                continue;
            }
            String[] parts = link.split("#", 2);
            Path target = parts[0].isEmpty() ? page : page.getParent().resolve(decode(parts[0])).normalize();
            String where = root.relativize(page) + ": (" + link + ")";
            if (!target.startsWith(root)) {
                broken.add(where + ": leaves the repository");
            } else if (!Files.exists(target)) {
                broken.add(where + ": no such file " + root.relativize(target));
            } else if (parts.length == 2) {
                if (!target.getFileName().toString().endsWith(".md")) {
                    broken.add(where + ": an anchor into a file that is not markdown");
                } else if (!anchors.computeIfAbsent(target, DocsTest::anchorsOf).contains(parts[1])) {
                    broken.add(where + ": no heading '#" + parts[1] + "' in " + root.relativize(target));
                }
            }
        }
        return broken;
    }

    /** The link destinations of a markdown text, in order, leaving out fenced code and code spans. */
    static List<String> links(String markdown) {
        String text = maskCodeSpans(stripFences(markdown));
        List<String> links = new ArrayList<>();
        Matcher m = INLINE_LINK.matcher(text);
        while (m.find()) {
            links.add(m.group(1));
        }
        Matcher r = REFERENCE_DEFINITION.matcher(text);
        while (r.find()) {
            links.add(r.group(1));
        }
        return links;
    }

    /** The anchors of a markdown file's headings, by GitHub's rule, and its explicit HTML anchors. */
    static Set<String> anchorsOf(Path file) {
        String text;
        try {
            text = stripFences(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher h = HEADING.matcher(text);
        while (h.find()) {
            String a = anchor(h.group(2));
            int n = seen.merge(a, 1, Integer::sum) - 1;
            anchors.add(n == 0 ? a : a + "-" + n);
        }
        Matcher html = HTML_ANCHOR.matcher(text);
        while (html.find()) {
            anchors.add(html.group(1));
        }
        return anchors;
    }

    /**
     * GitHub's anchor of a heading: its text as rendered (links as their text, no backticks or emphasis marks),
     * lower-cased, every character that is not a letter, a digit, a space, a hyphen or an underscore dropped, then
     * every space turned into a hyphen.
     */
    static String anchor(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                .replaceAll("<[^>]+>", "")
                .replaceAll("[`*]", "");
        return text.strip().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{M}\\p{N}_ -]", "")
                .replace(' ', '-');
    }

    private static String stripFences(String markdown) {
        return FENCE.matcher(markdown).replaceAll(m -> "\n".repeat((int) m.group().chars().filter(c -> c == '\n').count()));
    }

    /** Code spans become x's of the same length, so a [`code`](link) keeps its brackets and its link. */
    private static String maskCodeSpans(String markdown) {
        return CODE_SPAN.matcher(markdown).replaceAll(m -> m.group().replaceAll("[^\\n]", "x"));
    }

    private static String decode(String path) {
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(README);
        pages.addAll(docsPages());
        return pages;
    }

    private static List<Path> docsPages() throws IOException {
        try (Stream<Path> files = Files.list(DOCS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().collect(Collectors.toList());
        }
    }
}
