package dev.vigil.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Seeded hostile or malformed requests for {@code POST /api/v1/score} and {@code /ingest}: request {@code i} of
 * seed {@code s} is always the same, whichever thread asks for it. Every request is built to be refused: each
 * carries at least one fault that makes the whole request invalid (no request mixes a valid point with bad
 * ones), so the only right answer is a 4xx naming the reason.
 */
public final class HostileRequests {

    /** The kinds of hostility, each equally likely. */
    public enum Kind {
        RANDOM_BYTES, TRUNCATED_JSON, DEEP_NESTING, HUGE_NUMBERS, NAN_INFINITY, TOO_MANY_FEATURES, SCRIPT_INJECTION,
        WRONG_CONTENT_TYPE, OVERSIZED_BODY, MISSING_KEY, WRONG_KEY, BROKEN_CSV, NON_UTF8, NOT_AN_OBJECT,
        TOO_MANY_POINTS, EMPTY_BODY
    }

    /**
     * One request. {@code contentType} and {@code apiKey} are left out when null; a {@code chunked} body is sent
     * without a Content-Length.
     */
    public record Request(Kind kind, String path, String contentType, String apiKey, byte[] body, boolean chunked) {
        public String describe() {
            String text = new String(body, 0, Math.min(body.length, 120), StandardCharsets.ISO_8859_1);
            return kind + " " + path + " type=" + contentType + " key=" + (apiKey == null ? null : "(" + apiKey.length()
                    + " chars)") + " chunked=" + chunked + " " + body.length + " bytes: " + text;
        }
    }

    private static final List<String> INJECTIONS = List.of("<script>alert(1)</script>", "<SCRIPT src=//x.example>",
            "javascript:alert(document.cookie)", "JavaScript:void(0)", "eval(atob('YQ=='))", "__proto__",
            "__class__", "<script\\u003ealert(1)", "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e");
    private static final List<String> HUGE = List.of("1e400", "-1e400", "123456789012345678901234567890",
            "-123456789012345678901234567890", "1e10", "-1e10", "9.99e309", "1" + "0".repeat(1200),
            "\"1e400\"", "\"123456789012345678901234567890\"");
    private static final List<String> NON_FINITE = List.of("NaN", "Infinity", "-Infinity", "+Infinity", "\"NaN\"",
            "\"Infinity\"", "\"-Infinity\"", "\"nan\"", "-NaN");
    private static final List<String> WRONG_TYPES = List.of("text/plain", "application/xml", "text/html",
            "multipart/form-data; boundary=xyz", "application/x-www-form-urlencoded", "application/json-seq",
            "text/csv2", "*/*", "application/octet-stream", "text/javascript");
    private static final List<String> NOT_OBJECTS = List.of("42", "\"a string\"", "null", "true", "[1,2,3]", "[]",
            "{}", "[[]]", "[{}]", "[null]", "\"\\u0000\"", "{\"key\":\"k\"}", "{\"features\":{}}");
    private static final byte[][] BAD_UTF8 = {{(byte) 0xff}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xc3, (byte) 0x28},
        {(byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, (byte) 0x88,
            (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}};

    private final long seed;
    private final String validKey;
    private final int maxBodyBytes;
    private final int maxPoints;

    public HostileRequests(long seed, String validKey, int maxBodyBytes, int maxPoints) {
        this.seed = seed;
        this.validKey = validKey;
        this.maxBodyBytes = maxBodyBytes;
        this.maxPoints = maxPoints;
    }

    public Request get(int index) {
        // java.util.Random's first draws from neighbouring seeds are alike: SplittableRandom's first draw mixes them.
        Random rng = new Random(new SplittableRandom(seed * 1_000_003L + index).nextLong());
        Kind kind = Kind.values()[rng.nextInt(Kind.values().length)];
        String path = rng.nextInt(4) == 0 ? "/api/v1/ingest" : "/api/v1/score";
        return switch (kind) {
            case RANDOM_BYTES -> json(kind, path, randomBytes(rng, 16 + rng.nextInt(4000)), rng.nextBoolean() ? "text/csv" : null);
            case TRUNCATED_JSON -> {
                String full = rng.nextBoolean() ? point(rng, "t") : array(rng, 1 + rng.nextInt(5));
                yield json(kind, path, full.substring(0, 1 + rng.nextInt(full.length() - 1)));
            }
            case DEEP_NESTING -> json(kind, path, deep(rng));
            case HUGE_NUMBERS -> json(kind, path, withValue(rng, pick(rng, HUGE)));
            case NAN_INFINITY -> json(kind, path, withValue(rng, pick(rng, NON_FINITE)));
            case TOO_MANY_FEATURES -> json(kind, path, manyFeatures(rng, 1001 + rng.nextInt(1000)));
            case SCRIPT_INJECTION -> rng.nextInt(4) == 0 ? csv(kind, path, injectedCsv(rng)) : json(kind, path, injected(rng));
            case WRONG_CONTENT_TYPE -> new Request(kind, path, rng.nextInt(5) == 0 ? null : pick(rng, WRONG_TYPES), validKey,
                    utf8(point(rng, "ok")), false);
            case OVERSIZED_BODY -> new Request(kind, path, "application/json", validKey, oversized(rng), rng.nextBoolean());
            case MISSING_KEY -> new Request(kind, path, "application/json", null, utf8(point(rng, "ok")), false);
            case WRONG_KEY -> new Request(kind, path, "application/json", wrongKey(rng), utf8(point(rng, "ok")),
                    rng.nextInt(8) == 0);
            case BROKEN_CSV -> csv(kind, path, brokenCsv(rng));
            case NON_UTF8 -> nonUtf8(kind, path, rng);
            case NOT_AN_OBJECT -> json(kind, path, pick(rng, NOT_OBJECTS));
            case TOO_MANY_POINTS -> json(kind, path, array(rng, maxPoints + 1 + rng.nextInt(maxPoints)));
            case EMPTY_BODY -> new Request(kind, path, rng.nextBoolean() ? "application/json" : "text/csv", validKey,
                    new byte[0], false);
        };
    }

    private Request json(Kind kind, String path, String body) {
        return json(kind, path, utf8(body), "application/json");
    }

    private Request json(Kind kind, String path, byte[] body, String type) {
        return new Request(kind, path, type == null ? "application/json" : type, validKey, body, false);
    }

    private Request csv(Kind kind, String path, String body) {
        return new Request(kind, path, "text/csv", validKey, utf8(body), false);
    }

    private static String pick(Random rng, List<String> options) {
        return options.get(rng.nextInt(options.size()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random rng, int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    /** An ordinary-looking point: on its own it would be valid, so callers only ever break it. */
    private static String point(Random rng, String id) {
        return String.format(Locale.ROOT, "{\"id\":\"%s-%d\",\"key\":\"hostile-%d\",\"temperature\":%.3f,\"pressure\":%.2f}",
                id, rng.nextInt(1_000_000), rng.nextInt(5), 20 + rng.nextGaussian(), 1000 + 5 * rng.nextGaussian());
    }

    private static String array(Random rng, int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(point(rng, "a"));
        }
        return b.append(']').toString();
    }

    private static String deep(Random rng) {
        int depth = 17 + rng.nextInt(3000);
        return switch (rng.nextInt(4)) {
            case 0 -> "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
            case 1 -> "[".repeat(depth) + "]".repeat(depth);
            case 2 -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            default -> "[{\"key\":\"k\",\"features\":" + "{\"x\":".repeat(depth) + "1" + "}".repeat(depth) + "}]";
        };
    }

    /** A point whose first feature holds {@code value} (always invalid), possibly among ordinary ones. */
    private static String withValue(Random rng, String value) {
        String extra = rng.nextBoolean() ? "" : String.format(Locale.ROOT, ",\"pressure\":%.1f", 1000 + rng.nextGaussian());
        String point = "{\"key\":\"hostile-n\",\"temperature\":" + value + extra + "}";
        return rng.nextBoolean() ? point : "[" + point + "]";
    }

    private static String manyFeatures(Random rng, int n) {
        StringBuilder b = new StringBuilder("{\"key\":\"hostile-wide\"");
        for (int i = 0; i < n; i++) {
            b.append(",\"f").append(i).append("\":").append(rng.nextInt(100));
        }
        return b.append('}').toString();
    }

    private static String injected(Random rng) {
        String bad = pick(rng, INJECTIONS).replace("\"", "\\\"");
        return switch (rng.nextInt(4)) {
            case 0 -> "{\"key\":\"k\",\"" + bad + "\":1}";
            case 1 -> "{\"key\":\"" + bad + "\",\"temperature\":1}";
            case 2 -> "{\"id\":\"" + bad + "\",\"key\":\"k\",\"temperature\":1}";
            default -> "{\"key\":\"k\",\"temperature\":\"" + bad + "\"}";
        };
    }

    /** In CSV nothing is unescaped, so only the injections that are blocked as written. */
    private static String injectedCsv(Random rng) {
        String bad = pick(rng, INJECTIONS.stream().filter(i -> !i.contains("\\u")).toList());
        return rng.nextBoolean() ? "key," + bad + "\nk,1\n" : "key,temperature\n" + bad + ",1\n";
    }

    private byte[] oversized(Random rng) {
        int target = maxBodyBytes + 1 + rng.nextInt(2 * maxBodyBytes);
        StringBuilder b = new StringBuilder(target + 200).append('[');
        while (b.length() < target) {
            b.append(b.length() == 1 ? "" : ",").append(point(rng, "big"));
        }
        return utf8(b.append(']').toString());
    }

    private String wrongKey(Random rng) {
        return switch (rng.nextInt(6)) {
            case 0 -> validKey.substring(0, validKey.length() - 1);
            case 1 -> validKey + "x";
            case 2 -> validKey.toUpperCase(Locale.ROOT);
            case 3 -> "Bearer " + validKey;
            case 4 -> "k".repeat(1 + rng.nextInt(4000));
            default -> Long.toHexString(rng.nextLong()) + Long.toHexString(rng.nextLong());
        };
    }

    private static String brokenCsv(Random rng) {
        return switch (rng.nextInt(7)) {
            case 0 -> "key,temperature,pressure\nk,1,2\nk,\"unterminated,3\n";
            case 1 -> "key,temperature,pressure\nk,1,2,3,4\n";
            case 2 -> "\n";
            case 3 -> "key,temperature\n";
            case 4 -> "key,temperature\nk,warm\nk,NaN\n";
            case 5 -> "\"key,temperature\nk,1\n";
            default -> "key,temperature,pressure\n" + "k,1\n".repeat(1 + rng.nextInt(20));
        };
    }

    private Request nonUtf8(Kind kind, String path, Random rng) {
        byte[] bad = BAD_UTF8[rng.nextInt(BAD_UTF8.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean csv = rng.nextInt(3) == 0;
        if (csv) {
            out.writeBytes(utf8("key,temp"));
            out.writeBytes(bad);
            out.writeBytes(utf8("\nk,1\n"));
        } else {
            out.writeBytes(utf8("{\"key\":\"k"));
            out.writeBytes(bad);
            out.writeBytes(utf8("\",\"temperature\":1}"));
        }
        return new Request(kind, path, csv ? "text/csv" : "application/json", validKey, out.toByteArray(), false);
    }
}
