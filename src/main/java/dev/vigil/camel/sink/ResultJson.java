package dev.vigil.camel.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.vigil.camel.parse.InputProblem;
import dev.vigil.service.monitor.Alert;
import dev.vigil.service.point.DataPoint;
import dev.vigil.service.point.Explanation;
import dev.vigil.service.point.Rejection;
import dev.vigil.service.point.Result;
import dev.vigil.service.security.SecurityEvent;
import dev.vigil.service.security.SecurityEvents;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The JSON Vigil writes: one line per result, per rejection; the HTTP response bodies. */
public final class ResultJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    // A result's field names, quoted and escaped once.
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString KEY = new SerializedString("key");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString SCORE = new SerializedString("score");
    private static final SerializedString RARITY = new SerializedString("rarity");
    private static final SerializedString LIKELIHOOD = new SerializedString("likelihood");
    private static final SerializedString SEVERITY = new SerializedString("severity");
    private static final SerializedString IS_ANOMALY = new SerializedString("isAnomaly");
    private static final SerializedString WARMUP = new SerializedString("warmup");
    private static final SerializedString EVENT = new SerializedString("event");
    private static final SerializedString REPEAT = new SerializedString("repeat");
    private static final SerializedString MODEL = new SerializedString("model");
    private static final SerializedString STATE = new SerializedString("state");
    private static final SerializedString FALLBACK_REASON = new SerializedString("fallbackReason");
    private static final SerializedString FEATURES = new SerializedString("features");

    private ResultJson() {
    }

    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    public static String write(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return wellFormed(out.toString());
    }

    /**
     * {@code json} with every unpaired surrogate replaced by U+FFFD. Input smuggles one in through a JSON escape
     * ({@code "\\ud800"}) or a JMS text message, and results and rejections echo keys, names and input: such a
     * line cannot be encoded as UTF-8, and a file sink would refuse its whole group, the dead letter too.
     */
    public static String wellFormed(String json) {
        int n = json.length();
        for (int i = 0; i < n; i++) {
            char c = json.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(json.charAt(i + 1))) {
                    i++;
                } else {
                    return replaceUnpairedSurrogates(json);
                }
            }
        }
        return json;
    }

    private static String replaceUnpairedSurrogates(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    /**
     * {@code {"id","key","timestamp","source","score","rarity","likelihood","severity","isAnomaly","warmup","event",
     * "repeat","model","state","fallbackReason","features","attribution","explanation"}}; absent values are left
     * out, and {@code warmup} and {@code repeat} when false. Written for every result, so the line is not scanned
     * for unpaired surrogates as a whole: {@link #writeResult} makes each string that came with the input
     * well-formed as it writes it.
     */
    public static String result(String source, Result r) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeResult(g, source, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeResult(JsonGenerator g, String source, Result r) throws IOException {
        DataPoint p = r.point();
        g.writeStartObject();
        optional(g, ID, p.id());
        g.writeFieldName(KEY);
        g.writeString(wellFormed(p.key()));
        optional(g, TIMESTAMP, p.timestamp());
        g.writeFieldName(SOURCE);
        g.writeString(source);
        g.writeFieldName(SCORE);
        if (Double.isNaN(r.score())) {
            g.writeNull();
        } else {
            writeMicros(g, r.score());
        }
        if (!Double.isNaN(r.rarity())) {
            g.writeFieldName(RARITY);
            writeMicros(g, r.rarity());
        }
        if (!Double.isNaN(r.likelihood())) {
            // In full: 0.99999 and 0.9999999 are an order of magnitude apart in the tail.
            g.writeFieldName(LIKELIHOOD);
            g.writeNumber(r.likelihood());
        }
        g.writeFieldName(SEVERITY);
        g.writeString(r.severity().label());
        g.writeFieldName(IS_ANOMALY);
        g.writeBoolean(r.anomaly());
        if (r.warmup()) {
            g.writeFieldName(WARMUP);
            g.writeBoolean(true);
        }
        if (r.event() != 0) {
            g.writeFieldName(EVENT);
            g.writeNumber(r.event());
            if (r.repeat()) {
                g.writeFieldName(REPEAT);
                g.writeBoolean(true);
            }
        }
        g.writeFieldName(MODEL);
        g.writeString(r.model());
        g.writeFieldName(STATE);
        g.writeString(r.state().label());
        optional(g, FALLBACK_REASON, r.fallbackReason());
        g.writeFieldName(FEATURES);
        g.writeStartObject();
        String[] names = p.names();
        double[] values = p.values();
        for (int i = 0; i < names.length; i++) {
            g.writeFieldName(wellFormed(names[i]));
            g.writeNumber(values[i]);
        }
        g.writeEndObject();
        if (r.explanation() != null) {
            writeExplanation(g, names, r.explanation());
        }
        g.writeEndObject();
    }

    /** {@code "attribution": {"temperature": 0.71, ...}, "explanation": "temperature 71%, ..."}. */
    private static void writeExplanation(JsonGenerator g, String[] names, Explanation e) throws IOException {
        g.writeObjectFieldStart("attribution");
        double[] shares = e.shares();
        for (int i = 0; i < names.length; i++) {
            g.writeFieldName(wellFormed(names[i]));
            writeMicros(g, shares[i]);
        }
        g.writeEndObject();
        g.writeStringField("explanation", wellFormed(e.text()));
    }

    /**
     * {@code x} rounded to 6 decimals, {@code Math.round(x * 1e6) / 1e6}, written as Jackson writes that double, but
     * from the rounded integer's digits where Jackson's output is plain notation (0.001 to 10^7, and 0): formatting a
     * double in general is most of what a result line costs. The digits are the same: no other decimal of at most 13
     * digits lies within a double's rounding interval there.
     */
    static void writeMicros(JsonGenerator g, double x) throws IOException {
        long micros = Math.round(x * 1e6);
        long magnitude = Math.abs(micros);
        if (micros != 0 && (magnitude < 1_000 || magnitude >= 10_000_000_000_000L)) {
            g.writeNumber(micros / 1e6); // scientific notation, or a value rounding did not bound
            return;
        }
        char[] digits = new char[24];
        int at = digits.length;
        long fraction = magnitude % 1_000_000;
        int fractionDigits = 6;
        while (fractionDigits > 1 && fraction % 10 == 0) {
            fraction /= 10;
            fractionDigits--;
        }
        for (int i = 0; i < fractionDigits; i++) {
            digits[--at] = (char) ('0' + fraction % 10);
            fraction /= 10;
        }
        digits[--at] = '.';
        long whole = magnitude / 1_000_000;
        do {
            digits[--at] = (char) ('0' + whole % 10);
            whole /= 10;
        } while (whole > 0);
        if (micros < 0) {
            digits[--at] = '-';
        }
        g.writeNumber(digits, at, digits.length - at);
    }

    /**
     * {@code {"source","client","id","key","field","reason","message","original"}}, and when the original was cut
     * to its bound, {@code "originalTruncated": true} and {@code "originalLength"} (of the whole input, in characters).
     */
    public static String rejection(Rejection r) {
        return write(g -> writeRejection(g, r));
    }

    private static void writeRejection(JsonGenerator g, Rejection r) throws IOException {
        g.writeStartObject();
        g.writeStringField("source", r.source());
        optional(g, "client", r.client());
        optional(g, "id", r.id());
        optional(g, "key", r.key());
        optional(g, "field", r.field());
        g.writeStringField("reason", r.rule().label());
        g.writeStringField("message", r.message());
        g.writeStringField("original", r.original());
        if (r.truncated()) {
            g.writeBooleanField("originalTruncated", true);
            g.writeNumberField("originalLength", r.originalLength());
        }
        g.writeEndObject();
    }

    /** The rejections as a JSON array: the value of a response's {@code rejected} field. */
    public static void writeRejections(JsonGenerator g, List<Rejection> rejections) throws IOException {
        g.writeStartArray();
        for (Rejection r : rejections) {
            writeRejection(g, r);
        }
        g.writeEndArray();
    }

    /** {@code {"alert","key","message","value","threshold","raisedAt"}}; {@code key} only for an alert about one key. */
    public static String alert(Alert a) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("alert", a.type().label());
            if (a.key() != null) {
                g.writeStringField("key", a.key());
            }
            g.writeStringField("message", a.message());
            g.writeNumberField("value", a.value());
            g.writeNumberField("threshold", a.threshold());
            g.writeStringField("raisedAt", a.raisedAt().toString());
            g.writeEndObject();
        });
    }

    /** The error body of every refused HTTP request: {@code {"status", "error", "message"}}. */
    public static String problem(InputProblem p) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("status", p.status());
            g.writeStringField("error", p.code());
            g.writeStringField("message", p.getMessage());
            g.writeEndObject();
        });
    }

    /**
     * The security summary, for the status endpoint: {@code {"total", "byType": {"missing_api_key": n, ...},
     * "recent": [{"type", "client", "remoteAddress", "time", "detail"}]}}, times in ISO-8601 UTC.
     */
    public static void writeSecuritySummary(JsonGenerator g, SecurityEvents.Summary summary) throws IOException {
        g.writeStartObject();
        g.writeNumberField("total", summary.total());
        g.writeObjectFieldStart("byType");
        for (Map.Entry<String, Long> e : summary.byType().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("recent");
        for (SecurityEvent e : summary.recent()) {
            g.writeStartObject();
            g.writeStringField("type", e.type().label());
            g.writeStringField("client", e.client());
            g.writeStringField("remoteAddress", e.remoteAddress());
            g.writeStringField("time", e.time().toString());
            g.writeStringField("detail", e.detail());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void optional(JsonGenerator g, SerializedString name, String value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(wellFormed(value));
        }
    }
}
