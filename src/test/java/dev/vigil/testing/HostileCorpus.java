package dev.vigil.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A seeded corpus of hostile and malformed <em>payloads</em> for every source (HTTP bodies, Kafka and JMS
 * messages, inbox files), each labelled with its kind and with how many outcomes it must produce: case {@code i}
 * of seed {@code s} is always the same. Unlike {@link HostileRequests} (refusals at the door: keys, types,
 * sizes), these carry a valid API key and an accepted type, so they reach the parsers and the validator, and
 * many mix valid points with invalid ones: every point must end as a result or a rejection naming its reason.
 *
 * <p>Outcomes are counted per point where the case parses into points, otherwise once for the whole case. The
 * expectations come from the formats (JSON, RFC 4180 CSV, JSON lines), not from Vigil's code:
 * <ul>
 * <li>{@link #httpPoints} and {@link Case#http}: {@code POINTS} means the body parses into that many points (each
 * a result or a rejection, 0 meaning a 400 "no data point"), {@code WHOLE} a 4xx refusal of the whole body,
 * {@code EITHER} a single object that may be refused either way.</li>
 * <li>{@link Case#brokerOutcomes}: a Kafka record or JMS message yields one outcome per point, or one rejection
 * when it holds none or cannot be read.</li>
 * <li>{@link Case#fileOutcomes}: in an inbox file every non-blank line is an outcome, except a CSV header.</li>
 * </ul>
 */
public final class HostileCorpus {

    /** The kinds of cases. CSV kinds are CSV documents; the others are JSON (one line, no newline inside). */
    public enum Kind {
        VALID, VALID_ARRAY, TRUNCATED_JSON, UNBALANCED_JSON, WRONG_TYPES, SPECIAL_NUMBERS, ZERO_FEATURES,
        TWO_THOUSAND_FEATURES, LONG_KEYS, HOSTILE_KEYS, NON_UTF8, EMPTY, HUGE_LINE, DEEP_NESTING, DUPLICATE_FIELDS,
        BOM, CRLF, MIXED_BATCH, NOT_AN_OBJECT, BINARY,
        CSV_VALID, CSV_MIXED, CSV_WRONG_DELIMITER, CSV_MISSING_HEADER, CSV_CELL_COUNT, CSV_UNTERMINATED_QUOTE,
        CSV_TRUNCATED, CSV_CRLF, CSV_BOM, CSV_EMPTY, CSV_HEADER_ONLY;

        public boolean csv() {
            return name().startsWith("CSV_");
        }
    }

    /** What an HTTP answer must be: see the class comment. */
    public enum Expect {
        POINTS, WHOLE, EITHER
    }

    /**
     * One case. {@code httpPoints} applies when {@code http} is {@code POINTS} (or {@code EITHER}: then 1);
     * {@code fileOutcomes} when the case is written into an inbox file on its own ({@link #csv()}) or as one line.
     */
    public record Case(int index, Kind kind, byte[] body, Expect http, int httpPoints, int fileOutcomes) {
        public boolean csv() {
            return kind.csv();
        }

        /** Outcomes of a Kafka record or JMS message holding this body: its points, or one rejection. */
        public int brokerOutcomes() {
            return !csv() && http == Expect.POINTS && httpPoints > 0 ? httpPoints : 1;
        }

        public String describe() {
            String text = new String(body, 0, Math.min(body.length, 160), StandardCharsets.ISO_8859_1);
            return "#" + index + " " + kind + " (" + body.length + " bytes, http " + http + " " + httpPoints + "): " + text;
        }
    }

    /** The schema of every valid point: the keys {@code calm-0..3} and the dup keys use it. */
    public static final String CSV_HEADER = "id,key,temperature,pressure,humidity";
    /** Longer than any line an inbox test accepts (its {@code vigil.inbox.max-line-length} must be below this). */
    public static final int HUGE_LINE_CHARS = 40_000;

    private static final String[] HOSTILE_TEXT = {"../../etc/passwd", "..\\..\\windows\\system32", "<script>alert(1)</script>",
        "'; DROP TABLE points; --", "1 OR 1=1", "\u202Egnp.exe", "\u0000", "a\u0000b", "\u0007bell", "tab\there", "\u001b[31mred",
        "\u200B", "\uFFFF", "\uD83D\uDE00", "\uD800", "javascript:alert(1)", "__proto__", "%2e%2e%2f", "${jndi:ldap://x/a}",
        "CON", "nul", " ", "\u2028", "{{7*7}}"};
    private static final String[] WRONG_VALUES = {"\"warm\"", "true", "false", "null", "{}", "{\"v\":1}", "[]", "[1,2]",
        "\"\"", "\" \"", "\"1,5\"", "\"0x10\"", "\"1e\"", "\"--1\""};
    private static final String[] SPECIAL_VALUES = {"\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "-0", "-0.0", "0e0",
        "1e308", "-1e308", "1.7976931348623157e308", "1e-320", "-1e-320", "4.9e-324", "1e-400", "1e400", "\"1e400\"",
        "9999999999", "1e10", "9.999999999e9", "12345678901234567890123456789012345678901234567890",
        "\"-0\"", "\"1e-320\"", "0.000000000000000000000000000001"};
    private static final String[] UNQUOTED_SPECIAL = {"NaN", "Infinity", "-Infinity", "+1", ".5", "01", "1.", "0x10", "1e"};
    private static final String[] NOT_OBJECTS = {"42", "\"a string\"", "null", "true", "[1,2,3]", "[[]]", "[null]",
        "[{\"temperature\":1},2]", "\"\\u0000\"", "-0", "   \t  "};
    private static final byte[][] BAD_UTF8 = {{(byte) 0xff}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xc3, (byte) 0x28},
        {(byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, (byte) 0x88,
            (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}};

    /** One case in ten is a CSV document (in the inbox each is a file of its own, which costs more). */
    private static final List<Kind> CSV_KINDS = java.util.Arrays.stream(Kind.values()).filter(Kind::csv).toList();
    private static final List<Kind> JSON_KINDS = java.util.Arrays.stream(Kind.values()).filter(k -> !k.csv()).toList();

    /**
     * Cases each corpus test sends: {@value #DEFAULT_CASES} by default, enough for every kind to come up at least
     * {@value #MIN_PER_KIND} times with each test's seed; {@code -Dhostile-corpus.cases=10000} for a full run
     * (docs/reliability.md).
     */
    public static final int DEFAULT_CASES = 2000;
    public static final int MIN_PER_KIND = 5;

    private final long seed;

    /** The number of cases a corpus test sends (see {@link #DEFAULT_CASES}). */
    public static int cases() {
        return Integer.getInteger("hostile-corpus.cases", DEFAULT_CASES);
    }

    /** Every kind of case must have come up at least {@link #MIN_PER_KIND} times in {@code mix}. */
    public static void assertCoverage(Map<Kind, Integer> mix) {
        List<String> rare = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (mix.getOrDefault(k, 0) < MIN_PER_KIND) {
                rare.add(k + "=" + mix.getOrDefault(k, 0));
            }
        }
        if (!rare.isEmpty()) {
            throw new AssertionError("kinds of case seen fewer than " + MIN_PER_KIND + " times: " + rare
                    + " (more cases: -Dhostile-corpus.cases)");
        }
    }

    public HostileCorpus(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    public Case get(int index) {
        // java.util.Random's first draws from neighbouring seeds are alike: SplittableRandom's first draw mixes them.
        Random rng = new Random(new SplittableRandom(seed * 1_000_003L + index).nextLong());
        List<Kind> kinds = rng.nextInt(10) == 0 ? CSV_KINDS : JSON_KINDS;
        return new Builder(index, kinds.get(rng.nextInt(kinds.size())), rng).build();
    }

    /** Builds one case of a kind; each method returns the body and sets the expectations it implies. */
    private static final class Builder {
        final int index;
        final Kind kind;
        final Random rng;
        Expect http = Expect.POINTS;
        int points = 1;
        int fileOutcomes = 1;

        Builder(int index, Kind kind, Random rng) {
            this.index = index;
            this.kind = kind;
            this.rng = rng;
        }

        Case build() {
            byte[] body = switch (kind) {
                case VALID -> utf8(calm(id(0)));
                case VALID_ARRAY -> utf8(array(2 + rng.nextInt(30), false));
                case TRUNCATED_JSON -> {
                    String full = rng.nextBoolean() ? calm(id(0)) : array(1 + rng.nextInt(5), rng.nextBoolean());
                    yield whole(full.substring(0, 1 + rng.nextInt(full.length() - 1)));
                }
                case UNBALANCED_JSON -> whole(unbalanced());
                case WRONG_TYPES -> utf8(withValue(pick(WRONG_VALUES)));
                case SPECIAL_NUMBERS -> special();
                case ZERO_FEATURES -> utf8(pick(new String[] {"{}", "{\"key\":\"calm-0\"}", "{\"id\":\"" + id(0) + "\"}",
                    "{\"key\":\"calm-1\",\"features\":{}}", "{\"id\":\"" + id(0) + "\",\"key\":\"calm-2\",\"timestamp\":\"x\"}"}));
                case TWO_THOUSAND_FEATURES -> utf8(manyFeatures(rng.nextBoolean() ? 2000 : 1001 + rng.nextInt(2000)));
                case LONG_KEYS -> utf8(longKeys());
                case HOSTILE_KEYS -> utf8(hostileKeys());
                case NON_UTF8 -> nonUtf8();
                case EMPTY -> empty();
                case HUGE_LINE -> hugeLine();
                case DEEP_NESTING -> whole(deep(10_000));
                case DUPLICATE_FIELDS -> utf8(duplicates());
                case BOM -> bom();
                case CRLF -> utf8(calm(id(0)) + "\r\n");
                case MIXED_BATCH -> utf8(array(2 + rng.nextInt(40), true));
                case NOT_AN_OBJECT -> notAnObject();
                case BINARY -> binary();
                default -> csv();
            };
            return new Case(index, kind, body, http, http == Expect.WHOLE ? 0 : points, fileOutcomes);
        }

        private String id(int element) {
            return "hc-" + index + "-" + element;
        }

        private String pick(String[] options) {
            return options[rng.nextInt(options.length)];
        }

        private String calmKey() {
            return "calm-" + rng.nextInt(4);
        }

        private double[] reading() {
            return new double[] {20 + rng.nextGaussian(), 1000 + 5 * rng.nextGaussian(), 50 + 3 * rng.nextGaussian()};
        }

        /** A valid point of a calm key. */
        private String calm(String id) {
            return SensorData.json(id, calmKey(), reading());
        }

        private byte[] whole(String body) {
            http = Expect.WHOLE;
            return utf8(body);
        }

        /** A point of a calm key whose feature {@code name} holds {@code value} as written. */
        private String withValue(String value) {
            double[] v = reading();
            String[] names = {"temperature", "pressure", "humidity"};
            int at = rng.nextInt(3);
            StringBuilder b = new StringBuilder("{\"id\":\"").append(id(0)).append("\",\"key\":\"").append(calmKey()).append('"');
            for (int i = 0; i < 3; i++) {
                b.append(",\"").append(names[i]).append("\":")
                        .append(i == at ? value : String.format(Locale.ROOT, "%.4f", v[i]));
            }
            return b.append('}').toString();
        }

        /** {@code n} points, valid ones or (mixed) every third one broken in some way. */
        private String array(int n, boolean mixed) {
            points = n;
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                String p;
                if (!mixed || i % 3 != 0) {
                    p = calm(id(i));
                } else {
                    p = switch (rng.nextInt(6)) {
                        case 0 -> withValue(pick(WRONG_VALUES));
                        case 1 -> withValue(pick(SPECIAL_VALUES));
                        case 2 -> "{\"id\":\"" + id(i) + "\",\"key\":\"" + calmKey() + "\",\"temperature\":1}";
                        case 3 -> "{\"id\":\"" + id(i) + "\"}";
                        case 4 -> "{\"id\":\"" + id(i) + "\",\"key\":\"" + hostile() + "\",\"t\":1}";
                        default -> "{\"id\":\"" + id(i) + "\",\"" + hostile() + "\":1}";
                    };
                }
                b.append(i == 0 ? "" : ",").append(p);
            }
            return b.append(']').toString();
        }

        private String unbalanced() {
            String p = calm(id(0));
            return switch (rng.nextInt(8)) {
                case 0 -> p + "}";
                case 1 -> "[" + p;
                case 2 -> p.replace("}", "]");
                case 3 -> "{\"temperature\":[1,2}";
                case 4 -> p.replaceFirst(",", ",,");
                case 5 -> p + p;
                case 6 -> p.replace(":", "=");
                default -> "[" + p + "," + p + "]]";
            };
        }

        private byte[] special() {
            if (rng.nextInt(4) == 0) {
                return whole(withValue(pick(UNQUOTED_SPECIAL)));
            }
            String value = pick(SPECIAL_VALUES);
            if (rng.nextInt(4) == 0) {
                // A huge digit string: beyond any double, and beyond the parser's number limit when over 1,000.
                int digits = rng.nextBoolean() ? 300 + rng.nextInt(600) : 1001 + rng.nextInt(20_000);
                value = "9".repeat(digits);
                if (digits > 1000) {
                    return whole(withValue(value));
                }
            }
            return utf8(withValue(value));
        }

        private String manyFeatures(int n) {
            StringBuilder b = new StringBuilder("{\"id\":\"").append(id(0)).append("\",\"key\":\"wide\"");
            for (int i = 0; i < n; i++) {
                b.append(",\"f").append(i).append("\":").append(rng.nextInt(100));
            }
            return b.append('}').toString();
        }

        private String longText() {
            return "k".repeat(10_240 + rng.nextInt(10_000));
        }

        private String longKeys() {
            String longText = longText();
            double[] v = reading();
            return switch (rng.nextInt(4)) {
                case 0 -> SensorData.json(id(0), longText, v);
                case 1 -> SensorData.json(longText, calmKey(), v);
                case 2 -> "{\"id\":\"" + id(0) + "\",\"key\":\"long-name\",\"" + longText + "\":1}";
                default -> withValue("\"" + longText + "\"");
            };
        }

        private String hostile() {
            // Once in a while a lone surrogate, which only a JSON escape can carry.
            return rng.nextInt(20) == 0 ? "\\ud800lone" : escape(pick(HOSTILE_TEXT));
        }

        private String hostileKeys() {
            String h = hostile();
            return switch (rng.nextInt(4)) {
                case 0 -> SensorData.json(id(0), h, reading());
                case 1 -> SensorData.json(h + "-" + id(0), calmKey(), reading());
                case 2 -> "{\"id\":\"" + id(0) + "\",\"key\":\"hostile-name\",\"" + h + "\":1}";
                default -> withValue("\"" + h + "\"");
            };
        }

        private byte[] nonUtf8() {
            byte[] bad = BAD_UTF8[rng.nextInt(BAD_UTF8.length)];
            String p = calm(id(0));
            int at = switch (rng.nextInt(4)) {
                case 0 -> p.indexOf("calm-") + 5;                      // inside the key
                case 1 -> p.indexOf("temperature");                    // inside a name
                case 2 -> 0;                                           // before the object
                default -> 1 + rng.nextInt(p.length() - 1);            // anywhere
            };
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(utf8(p.substring(0, at)));
            out.writeBytes(bad);
            out.writeBytes(utf8(p.substring(at)));
            http = Expect.WHOLE;
            return out.toByteArray();
        }

        private byte[] empty() {
            http = Expect.WHOLE;
            fileOutcomes = 0;
            return new byte[0];
        }

        /** A line beyond the inbox's line limit: one point whose string value is long. */
        private byte[] hugeLine() {
            http = Expect.EITHER;
            return utf8(withValue("\"" + "9".repeat(HUGE_LINE_CHARS) + "\""));
        }

        private String deep(int depth) {
            return switch (rng.nextInt(4)) {
                case 0 -> "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
                case 1 -> "[".repeat(depth) + "]".repeat(depth);
                case 2 -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
                default -> "[{\"key\":\"calm-0\",\"features\":" + "{\"x\":".repeat(depth) + "1" + "}".repeat(depth) + "}]";
            };
        }

        /** Duplicate fields, under the keys dup-0..2 that also receive ordinary points. */
        private String duplicates() {
            double[] v = reading();
            String key = "dup-" + rng.nextInt(3);
            String t = String.format(Locale.ROOT, "%.4f", v[0]);
            return switch (rng.nextInt(5)) {
                case 0 -> "{\"id\":\"" + id(0) + "\",\"key\":\"" + key + "\",\"temperature\":" + t + ",\"temperature\":"
                        + t + ",\"pressure\":1000,\"humidity\":50}";
                case 1 -> "{\"id\":\"" + id(0) + "\",\"key\":\"x\",\"key\":\"" + key + "\",\"temperature\":" + t
                        + ",\"pressure\":1000,\"humidity\":50}";
                case 2 -> "{\"id\":\"a\",\"id\":\"" + id(0) + "\",\"key\":\"" + key + "\",\"temperature\":" + t
                        + ",\"pressure\":1000,\"humidity\":50}";
                case 3 -> "{\"id\":\"" + id(0) + "\",\"key\":\"" + key + "\",\"features\":{\"a\":1},\"features\":{\"temperature\":"
                        + t + ",\"pressure\":1000,\"humidity\":50}}";
                default -> SensorData.json(id(0), key, v);
            };
        }

        /** A UTF-8 byte order mark before a valid point (JSON text may start with one). */
        private byte[] bom() {
            http = Expect.EITHER;
            return utf8("\uFEFF" + calm(id(0)));
        }

        private byte[] notAnObject() {
            if (rng.nextInt(4) == 0) {
                points = 0;                       // an empty array: no point, so nothing to score
                return utf8("[]");
            }
            String body = pick(NOT_OBJECTS);
            if (body.isBlank()) {
                fileOutcomes = 0;
            }
            return whole(body);
        }

        /** Random bytes (newlines included): one outcome per non-blank line in a file, refused whole elsewhere. */
        private byte[] binary() {
            byte[] b = new byte[16 + rng.nextInt(4000)];
            rng.nextBytes(b);
            http = Expect.WHOLE;
            fileOutcomes = nonBlankLines(b);
            return b;
        }

        // ---- CSV documents (HTTP text/csv bodies; in the inbox one .csv file each) ----

        private String csvRow(int element) {
            return SensorData.csv(id(element), calmKey(), reading());
        }

        private byte[] csv() {
            int n = 1 + rng.nextInt(20);
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rows.add(csvRow(i));
            }
            points = n;
            fileOutcomes = n;
            return switch (kind) {
                case CSV_VALID -> csvText(CSV_HEADER, rows, "\n");
                case CSV_MIXED -> {
                    for (int i = 0; i < n; i += 2) {
                        String[] cells = rows.get(i).split(",");
                        cells[2 + rng.nextInt(3)] = pick(new String[] {"NaN", "warm", "", "1e308", "-Infinity", " ",
                            "\"1,5\"", "0x10", "<script>", "1e-320", "-0"});
                        rows.set(i, String.join(",", cells));
                    }
                    yield csvText(CSV_HEADER, rows, "\n");
                }
                case CSV_WRONG_DELIMITER -> {
                    String d = rng.nextBoolean() ? ";" : "\t";
                    rows.replaceAll(r -> r.replace(",", d));
                    yield csvText(CSV_HEADER.replace(",", d), rows, "\n");
                }
                case CSV_MISSING_HEADER -> {
                    // The first row is taken as the header, so one outcome fewer.
                    points = n - 1;
                    fileOutcomes = n - 1;
                    yield csvText(rows.get(0), rows.subList(1, n), "\n");
                }
                case CSV_CELL_COUNT -> {
                    int at = rng.nextInt(n);
                    rows.set(at, rng.nextBoolean() ? rows.get(at) + ",7" : rows.get(at).substring(0, rows.get(at).lastIndexOf(',')));
                    http = Expect.WHOLE;
                    yield csvText(CSV_HEADER, rows, "\n");
                }
                case CSV_UNTERMINATED_QUOTE -> {
                    int at = rng.nextInt(n);
                    rows.set(at, rows.get(at).replaceFirst(",", ",\""));
                    http = Expect.WHOLE;
                    yield csvText(CSV_HEADER, rows, "\n");
                }
                case CSV_TRUNCATED -> {
                    // Cut inside the last row, before its last comma: that row has too few cells.
                    String last = rows.get(n - 1);
                    rows.set(n - 1, last.substring(0, 1 + rng.nextInt(last.lastIndexOf(','))));
                    http = Expect.WHOLE;
                    byte[] text = csvText(CSV_HEADER, rows, "\n");
                    yield java.util.Arrays.copyOf(text, text.length - 1);
                }
                case CSV_CRLF -> csvText(CSV_HEADER, rows, "\r\n");
                case CSV_BOM -> csvText("\uFEFF" + CSV_HEADER, rows, "\n");
                case CSV_EMPTY -> {
                    http = Expect.WHOLE;
                    fileOutcomes = 0;
                    yield new byte[0];
                }
                case CSV_HEADER_ONLY -> {
                    points = 0;
                    fileOutcomes = 0;
                    yield utf8(CSV_HEADER + "\n");
                }
                default -> throw new IllegalStateException(kind.toString());
            };
        }

        private static byte[] csvText(String header, List<String> rows, String newline) {
            StringBuilder b = new StringBuilder(header).append(newline);
            rows.forEach(r -> b.append(r).append(newline));
            return utf8(b.toString());
        }
    }

    /**
     * Lines of a JSON-lines file that are not blank once read as UTF-8 (bytes that are not UTF-8 read as U+FFFD):
     * each is an outcome. Lines end at LF; a CR before it is part of the terminator.
     */
    static int nonBlankLines(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int n = 0;
        for (String line : text.split("\n", -1)) {
            if (!line.isBlank()) {
                n++;
            }
        }
        return n;
    }

    /** {@code s} as the inside of a JSON string (quotes, backslashes and control characters escaped). */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == '\u2028') {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
