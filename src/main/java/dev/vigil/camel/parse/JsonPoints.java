package dev.vigil.camel.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.vigil.service.point.RawPoint;
import dev.vigil.service.point.RejectReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads data points from JSON with Jackson's streaming parser, without building maps: a flat object of named
 * features ({@code {"temperature": 25.5}}), or an envelope ({@code {"key", "id", "timestamp", "features":
 * {...}}}); in a flat object {@code id}, {@code key} and {@code timestamp} are metadata, not features. A body
 * may hold one point or an array of them.
 *
 * <p>Hostile input fails fast, each limit with its own error code: nesting deeper than {@link #MAX_DEPTH}
 * ({@code too_deeply_nested}; a point needs at most three levels: array, envelope, features), a number longer
 * than {@link #MAX_NUMBER_LENGTH} characters or a name or string beyond Jackson's limits ({@code
 * value_too_long}), more points than the caller's limit ({@code too_many_points}, 413).
 */
public final class JsonPoints {
    /** Deepest nesting accepted; a data point needs 3 (array, envelope, features), a value deeper is refused anyway. */
    public static final int MAX_DEPTH = 16;
    /** Longest number literal, in characters: far beyond any double, short enough that parsing stays cheap. */
    public static final int MAX_NUMBER_LENGTH = 1000;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH).maxStringLength(1 << 24).build())
            .build();

    private JsonPoints() {
    }

    /** One point or an array of points. {@code defaultKey} applies to points without a key. */
    public static List<RawPoint> parseBody(String text, String defaultKey, int maxPoints, String maxPointsSetting) {
        List<RawPoint> points = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                points.add(readObject(p, text, defaultKey));
            } else if (first == JsonToken.START_ARRAY) {
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.START_OBJECT) {
                        throw new InputProblem(400, "not_an_object",
                                "element " + points.size() + " of the array is not a JSON object");
                    }
                    if (points.size() == maxPoints) {
                        throw InputProblem.tooManyPoints(maxPoints, maxPointsSetting);
                    }
                    points.add(readObject(p, text, defaultKey));
                }
            } else {
                throw new InputProblem(400, "not_an_object", "the body must be a JSON object or an array of objects");
            }
            if (p.nextToken() != null) {
                throw new InputProblem(400, "malformed", "unexpected content after the JSON value");
            }
        } catch (StreamConstraintsException e) {
            throw overLimit(e);
        } catch (IOException e) {
            throw new InputProblem(400, "malformed", "not valid JSON: " + shortMessage(e));
        }
        return points;
    }

    /** One JSON-lines line: exactly one object. */
    public static RawPoint parseLine(String line, String defaultKey) {
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InputProblem(400, "not_an_object", "the line is not a JSON object");
            }
            RawPoint point = readObject(p, line, defaultKey);
            if (p.nextToken() != null) {
                throw new InputProblem(400, "malformed", "unexpected content after the JSON object");
            }
            return point;
        } catch (StreamConstraintsException e) {
            throw overLimit(e);
        } catch (IOException e) {
            throw new InputProblem(400, "malformed", "not valid JSON: " + shortMessage(e));
        }
    }

    /**
     * Reads the object whose START_OBJECT was just consumed. A point whose key is not a string, whose id or timestamp
     * is an object or array, or which gives {@code id}, {@code key}, {@code timestamp} or {@code features} twice is
     * read to its end and carries the first such problem, for validation to refuse it by name: which of two keys
     * was meant is unknowable, and a key that silently became the default would feed another entity's model.
     */
    private static RawPoint readObject(JsonParser p, String text, String defaultKey) throws IOException {
        int start = (int) p.currentTokenLocation().getCharOffset();
        String id = null;
        String key = null;
        String timestamp = null;
        RawPoint.Problem problem = null;
        int seen = 0;
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        boolean envelope = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            int bit = envelopeBit(field);
            if ((seen & bit) != 0 && problem == null) {
                problem = new RawPoint.Problem(field, RejectReason.DUPLICATE_FIELD, "field '" + field
                        + "' appears more than once");
            }
            seen |= bit;
            switch (field) {
                case "id" -> {
                    id = scalarText(p, t);
                    if (problem == null && t.isStructStart()) {
                        problem = new RawPoint.Problem("id", RejectReason.INVALID_KEY, "id must be a string or a "
                                + "number, not " + kind(t));
                    }
                }
                case "key" -> {
                    key = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    p.skipChildren();
                    if (problem == null && t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
                        problem = new RawPoint.Problem("key", RejectReason.INVALID_KEY, "key must be a string, not "
                                + kind(t));
                    }
                }
                case "timestamp" -> {
                    timestamp = scalarText(p, t);
                    if (problem == null && t.isStructStart()) {
                        problem = new RawPoint.Problem("timestamp", RejectReason.WRONG_TYPE, "timestamp must be a "
                                + "string or a number, not " + kind(t));
                    }
                }
                case "features" -> {
                    if (t == JsonToken.START_OBJECT) {
                        envelope = true;
                        names.clear();
                        values.clear();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            names.add(p.currentName());
                            values.add(value(p, p.nextToken()));
                        }
                    } else {
                        names.add(field);
                        values.add(value(p, t));
                    }
                }
                default -> {
                    if (!envelope) {
                        names.add(field);
                        values.add(value(p, t));
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        int end = (int) p.currentTokenLocation().getCharOffset() + 1;
        String original = start >= 0 && end <= text.length() && end > start ? text.substring(start, end) : text;
        return new RawPoint(id, key == null ? defaultKey : key, timestamp, names.toArray(new String[0]),
                values.toArray(), original, problem);
    }

    /** The envelope fields, one bit each, so that one given twice is seen; 0 for any other name. */
    private static int envelopeBit(String field) {
        return switch (field) {
            case "id" -> 1;
            case "key" -> 2;
            case "timestamp" -> 4;
            case "features" -> 8;
            default -> 0;
        };
    }

    private static String kind(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> "null";
        };
    }

    /**
     * A feature value. A fraction or exponent literal that reads as 0.0 is kept as its text: validation then tells a
     * real zero from one below the smallest double ({@code 1e-400}), refused by name instead of scored as a 0 nobody
     * sent.
     */
    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_NUMBER_INT -> p.getValueAsDouble();
            case VALUE_NUMBER_FLOAT -> {
                double d = p.getValueAsDouble();
                yield d == 0 ? p.getText() : d;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE, VALUE_FALSE -> RawPoint.WrongType.BOOLEAN;
            case VALUE_NULL -> RawPoint.WrongType.NULL;
            case START_OBJECT -> {
                p.skipChildren();
                yield RawPoint.WrongType.OBJECT;
            }
            case START_ARRAY -> {
                p.skipChildren();
                yield RawPoint.WrongType.ARRAY;
            }
            default -> throw new IOException("unexpected token " + t);
        };
    }

    private static String scalarText(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        return t == JsonToken.VALUE_NULL ? null : p.getText();
    }

    /** Which of the parser's limits was hit, by name; Jackson's message names it too, but not our rule. */
    private static InputProblem overLimit(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("nesting depth")) {
            return new InputProblem(400, "too_deeply_nested", "JSON nested deeper than " + MAX_DEPTH
                    + " levels; a data point needs at most 3");
        }
        if (m.startsWith("Number value length")) {
            return new InputProblem(400, "value_too_long", "a number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        return new InputProblem(400, "value_too_long", "a name or string longer than the parser accepts");
    }

    private static String shortMessage(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }
}
