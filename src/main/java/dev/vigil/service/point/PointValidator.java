package dev.vigil.service.point;

import dev.vigil.service.config.VigilConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Checks raw points against the reference SecurityValidator rules and the entity's schema, and turns the valid
 * ones into {@link DataPoint}s. Every refusal names the field and the rule.
 *
 * <p>Feature names repeat across points, so the result of checking a name is remembered (a bounded cache);
 * values are checked every time.
 */
@ApplicationScoped
public class PointValidator {
    private static final Logger LOG = Logger.getLogger(PointValidator.class);
    private static final int NAME_CACHE_LIMIT = 10_000;

    private final VigilConfig.Validation config;
    private final Schemas schemas;
    private final String defaultKey;
    private final List<Pattern> allowedNames;
    private final BlockedPatterns blocked;
    private final Map<String, Rejected> checkedNames = new ConcurrentHashMap<>();
    private final Map<String, Rejected> checkedKeys = new ConcurrentHashMap<>();
    private volatile boolean loggedUnchecked;

    @Inject
    public PointValidator(VigilConfig config, Schemas schemas) {
        this.config = config.validation();
        this.schemas = schemas;
        this.defaultKey = config.keys().defaultKey();
        this.allowedNames = this.config.allowedNamePatterns().stream().map(Pattern::compile).toList();
        this.blocked = new BlockedPatterns(this.config.blockedPatterns());
    }

    /** Validates every raw point of the batch into its points or its rejections. */
    public void validate(PointBatch batch) {
        SchemaCache schemas = new SchemaCache();
        for (RawPoint raw : batch.raw()) {
            try {
                batch.points().add(validate(raw, schemas));
            } catch (Rejected r) {
                batch.rejections().add(new Rejection(batch.source(), batch.clientOf(raw.key()), raw.id(), raw.key(), r.field,
                        r.rule, r.getMessage(), raw.original()));
            } catch (RuntimeException bug) {
                // A bug must cost its point, not the batch: a broker would redeliver a failed batch for ever.
                if (!loggedUnchecked) {
                    loggedUnchecked = true;
                    LOG.warn("A point could not be validated; it is rejected as unchecked (later ones at DEBUG)", bug);
                } else {
                    LOG.debug("A point could not be validated", bug);
                }
                batch.rejections().add(new Rejection(batch.source(), batch.clientOf(raw.key()), raw.id(), raw.key(), null,
                        RejectReason.UNCHECKED, "the point could not be checked: " + bug, raw.original()));
            }
        }
        batch.raw().clear();
    }

    /** The schema of the last key seen in a batch: most batches carry one or a few keys. */
    private final class SchemaCache {
        private String key;
        private Schema schema;

        Schema get(String key, String[] names) {
            if (!key.equals(this.key)) {
                this.key = key;
                this.schema = schemas.of(key, names);
            }
            return schema;
        }
    }

    private DataPoint validate(RawPoint raw, SchemaCache schemas) {
        if (raw.problem() != null) {
            throw new Rejected(raw.problem().field(), raw.problem().rule(), raw.problem().message());
        }
        String key = nfc(raw.key() == null || raw.key().isEmpty() ? defaultKey : raw.key());
        checkKey(key);
        if (raw.id() != null) {
            checkIdentifier("id", raw.id());
        }
        String[] names = raw.names();
        if (names.length == 0) {
            throw new Rejected(null, RejectReason.EMPTY_POINT, "the point has no features");
        }
        if (names.length > config.maxFeatures()) {
            throw new Rejected(null, RejectReason.TOO_MANY_FEATURES,
                    names.length + " features; at most " + config.maxFeatures() + " are allowed");
        }
        double[] values = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            checkName(names[i]);
            values[i] = value(names[i], raw.values()[i]);
        }
        String twice = firstDuplicate(names);
        if (twice != null) {
            // Which of the two values is meant is unknowable; a schema naming a feature twice would never match again.
            throw new Rejected(twice, RejectReason.DUPLICATE_FEATURE, "feature '" + twice + "' appears more than once");
        }
        Schema schema = schemas.get(key, names);
        double[] ordered = schema.reorder(names, values);
        if (ordered == null) {
            List<String> missing = schema.missingFrom(names);
            if (!missing.isEmpty()) {
                throw new Rejected(missing.get(0), RejectReason.SCHEMA_MISSING_FEATURE, "feature '" + missing.get(0)
                        + "' of entity '" + key + "' is missing; its features are " + String.join(", ", schema.names()));
            }
            String extra = schema.extraIn(names).get(0);
            throw new Rejected(extra, RejectReason.SCHEMA_EXTRA_FEATURE, "feature '" + extra + "' is not one of entity '"
                    + key + "': " + String.join(", ", schema.names()));
        }
        return new DataPoint(raw.id(), key, raw.timestamp(), schema.names(), ordered);
    }

    /** The first name that occurs twice, or null; no allocation for the usual handful of features. */
    static String firstDuplicate(String[] names) {
        if (names.length > 32) {
            java.util.Set<String> seen = new java.util.HashSet<>(names.length * 2);
            for (String n : names) {
                if (!seen.add(n)) {
                    return n;
                }
            }
            return null;
        }
        for (int i = 1; i < names.length; i++) {
            for (int j = 0; j < i; j++) {
                if (names[i].equals(names[j])) {
                    return names[i];
                }
            }
        }
        return null;
    }

    /** Entity keys repeat: their verdict is remembered (a bounded cache), like feature names'. */
    private void checkKey(String key) {
        Rejected known = checkedKeys.get(key);
        if (known == null) {
            try {
                if (key.isBlank()) {
                    // Not a name anyone meant; the /ingest aggregator cannot even group by it (Camel refuses blank keys).
                    throw new Rejected("key", RejectReason.INVALID_KEY, "key is blank");
                }
                if (invisible(key)) {
                    // Looks blank everywhere it is shown (U+00A0, U+200B): a key nobody can tell from another.
                    throw new Rejected("key", RejectReason.INVALID_KEY, "key has no visible character");
                }
                checkIdentifier("key", key);
                known = Rejected.NONE;
            } catch (Rejected r) {
                known = r;
            }
            if (checkedKeys.size() >= NAME_CACHE_LIMIT) {
                checkedKeys.clear();
            }
            checkedKeys.put(key, known);
        }
        if (known != Rejected.NONE) {
            throw known.copy();
        }
    }

    /**
     * The key in Unicode normal form C: the composed and decomposed spellings of a key (é as one character or as e
     * and a combining accent) look the same and are one entity, not two models.
     */
    static String nfc(String key) {
        // ASCII text is already NFC; most keys are ASCII, and the check allocates a buffer per call.
        if (ascii(key) || Normalizer.isNormalized(key, Normalizer.Form.NFC)) {
            return key;
        }
        return Normalizer.normalize(key, Normalizer.Form.NFC);
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** True when every character is white space, a space separator, a format or control character, or a filler. */
    static boolean invisible(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int type = Character.getType(c);
            boolean blank = Character.isWhitespace(c) || Character.isSpaceChar(c) || type == Character.FORMAT
                    || type == Character.CONTROL || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0
                    || c == 0x2800;
            if (!blank) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private void checkIdentifier(String field, String value) {
        if (value.length() > config.maxKeyLength()) {
            throw new Rejected(field, RejectReason.INVALID_KEY,
                    field + " is " + value.length() + " characters long; at most " + config.maxKeyLength());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new Rejected(field, RejectReason.INVALID_KEY, field + " contains a control character");
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    throw new Rejected(field, RejectReason.INVALID_KEY, field + " contains an unpaired surrogate (not Unicode text)");
                }
                i++;
            }
        }
        checkBlocked(field, value, field);
    }

    private void checkName(String name) {
        Rejected known = checkedNames.get(name);
        if (known == Rejected.NONE) {
            return;
        }
        if (known == null) {
            known = nameProblem(name);
            if (checkedNames.size() >= NAME_CACHE_LIMIT) {
                checkedNames.clear();
            }
            checkedNames.put(name, known);
        }
        if (known != Rejected.NONE) {
            throw known.copy();
        }
    }

    private Rejected nameProblem(String name) {
        if (name.length() > config.maxFeatureNameLength()) {
            return new Rejected(shorten(name), RejectReason.NAME_TOO_LONG, "feature name is " + name.length()
                    + " characters long; at most " + config.maxFeatureNameLength());
        }
        try {
            checkBlocked(name, name, "feature name '" + name + "'");
        } catch (Rejected r) {
            return r;
        }
        for (Pattern p : allowedNames) {
            if (p.matcher(name).matches()) {
                return Rejected.NONE;
            }
        }
        return new Rejected(name, RejectReason.NAME_PATTERN, "feature name '" + name
                + "' must be an identifier, an IPv4 address or a UUID (vigil.validation.allowed-name-patterns)");
    }

    private double value(String name, Object raw) {
        if (raw instanceof Double d) {
            return number(name, d);
        }
        if (raw instanceof String s) {
            if (s.length() > config.maxStringLength()) {
                throw new Rejected(name, RejectReason.STRING_TOO_LONG, "value of '" + name + "' is " + s.length()
                        + " characters long; at most " + config.maxStringLength());
            }
            checkBlocked(name, s, "value of '" + name + "'");
            double parsed;
            try {
                parsed = Numbers.parse(s);
            } catch (NumberFormatException e) {
                if (config.strings() == VigilConfig.Validation.StringPolicy.HASH) {
                    return hash(s);
                }
                throw new Rejected(name, RejectReason.NOT_A_NUMBER,
                        "value of '" + name + "' is not a number: '" + shorten(s) + "'");
            }
            if (parsed == 0 && !Numbers.isZero(s)) {
                throw new Rejected(name, RejectReason.OUT_OF_RANGE, "value of '" + name + "' is " + shorten(s.strip())
                        + ", too small for a double: it would read as 0");
            }
            return number(name, parsed);
        }
        String type = raw instanceof RawPoint.WrongType w ? w.name().toLowerCase() : String.valueOf(raw);
        throw new Rejected(name, RejectReason.WRONG_TYPE, "value of '" + name + "' is " + type + ", not a number");
    }

    private double number(String name, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new Rejected(name, RejectReason.NOT_FINITE, "value of '" + name + "' is " + v
                    + "; values must be finite");
        }
        if (!(Math.abs(v) < config.maxAbsValue())) {
            throw new Rejected(name, RejectReason.OUT_OF_RANGE, "value of '" + name + "' is " + v
                    + "; |value| must be below " + config.maxAbsValue());
        }
        return v;
    }

    private void checkBlocked(String field, String text, String what) {
        String pattern = blocked.find(text);
        if (pattern == null) {
            return;
        }
        throw new Rejected(field, RejectReason.BLOCKED_PATTERN, what + " contains a blocked pattern (" + pattern + ")");
    }

    /** The reference's hashing of non-numeric strings: first 8 hex digits of the MD5, modulo 10,000. */
    private static double hash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            long first32 = ((digest[0] & 0xFFL) << 24) | ((digest[1] & 0xFFL) << 16) | ((digest[2] & 0xFFL) << 8)
                    | (digest[3] & 0xFFL);
            return first32 % 10_000;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** A refusal; cheap to throw (no stack trace), and caught within this class or by the batch loop. */
    static final class Rejected extends RuntimeException {
        static final Rejected NONE = new Rejected(null, null, "ok");
        final String field;
        final RejectReason rule;

        Rejected(String field, RejectReason rule, String message) {
            super(message, null, false, false);
            this.field = field;
            this.rule = rule;
        }

        Rejected copy() {
            return new Rejected(field, rule, getMessage());
        }
    }
}
