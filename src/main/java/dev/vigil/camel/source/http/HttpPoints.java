package dev.vigil.camel.source.http;

import dev.vigil.camel.parse.CsvPoints;
import dev.vigil.camel.parse.InputProblem;
import dev.vigil.camel.parse.JsonPoints;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.RawPoint;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Parses an HTTP request body into a batch: {@code application/json} (one point or an array) or
 * {@code text/csv} (header and rows), in UTF-8. The client, for throttling, is the name {@link ApiGate} found
 * for the caller's API key; the default entity key is {@code X-Entity-Key}. A body that is too large, of
 * another type, not UTF-8 or malformed fails as a whole with 413, 415 or 400, naming the rule.
 *
 * <p>Once read, every header of the request is dropped: Camel turns the caller's headers and query parameters into
 * message headers, and a sink obeys some of them ({@code kafka.OVERRIDE_TOPIC}, {@code JMSReplyTo}); nothing the
 * caller chose travels further than this step.
 */
@ApplicationScoped
@Named("httpPoints")
@RegisterForReflection
public class HttpPoints implements Processor {
    static final String SOURCE = "http";
    static final String JSON = "application/json";
    static final String CSV = "text/csv";
    static final String UNSUPPORTED_MESSAGE = "Content-Type must be application/json or text/csv";
    private static final String MAX_POINTS = "vigil.http.max-points";

    private final VigilConfig.Http config;
    private final String defaultKey;

    @Inject
    public HttpPoints(VigilConfig config) {
        this.config = config.http();
        this.defaultKey = config.keys().defaultKey();
    }

    /** The media type of a Content-Type header, lower case, without parameters; "" when absent. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    static boolean accepts(String mediaType) {
        return JSON.equals(mediaType) || CSV.equals(mediaType);
    }

    static InputProblem tooLarge(long size, long max) {
        return new InputProblem(413, "payload_too_large", "the body has " + size + " bytes; at most " + max
                + " are accepted (vigil.http.max-body-bytes)");
    }

    @Override
    public void process(Exchange exchange) {
        var in = exchange.getMessage();
        byte[] bytes = in.getBody(byte[].class);
        if (bytes == null || bytes.length == 0) {
            throw new InputProblem(400, "empty_body", "the request body is empty");
        }
        // ApiGate has refused other types and declared sizes before the body was read; this holds for any other way in.
        String type = mediaType(ApiGate.requestHeader(in, Exchange.CONTENT_TYPE));
        if (!accepts(type)) {
            throw new InputProblem(415, "unsupported_media_type", UNSUPPORTED_MESSAGE);
        }
        if (bytes.length > config.maxBodyBytes()) {
            throw tooLarge(bytes.length, config.maxBodyBytes());
        }
        String client = ApiGate.clientOf(in);
        String key = firstNonEmpty(ApiGate.requestHeader(in, "X-Entity-Key"), defaultKey);
        in.removeHeaders("*");
        String text = utf8(bytes);
        List<RawPoint> raw = JSON.equals(type) ? JsonPoints.parseBody(text, key, config.maxPoints(), MAX_POINTS) : csv(text, key);
        in.setBody(new PointBatch(SOURCE, client == null ? ApiGate.ANONYMOUS : client, raw));
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InputProblem(400, "invalid_encoding", "the body is not valid UTF-8");
        }
    }

    private List<RawPoint> csv(String text, String key) {
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new InputProblem(400, "malformed", "the CSV has no header line");
        }
        CsvPoints header = new CsvPoints(lines[0]);
        List<RawPoint> raw = new ArrayList<>(lines.length);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            if (raw.size() == config.maxPoints()) {
                throw InputProblem.tooManyPoints(config.maxPoints(), MAX_POINTS);
            }
            try {
                raw.add(header.parse(lines[i], null, key));
            } catch (InputProblem p) {
                throw new InputProblem(400, p.code(), "line " + (i + 1) + ": " + p.getMessage());
            }
        }
        return raw;
    }

    private static String firstNonEmpty(String a, String fallback) {
        return a != null && !a.isBlank() ? a : fallback;
    }
}
