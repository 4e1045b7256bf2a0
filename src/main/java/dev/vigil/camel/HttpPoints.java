package dev.vigil.camel;

import dev.vigil.service.PointBatch;
import dev.vigil.service.RawPoint;
import dev.vigil.service.VigilConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Parses an HTTP request body into a batch: {@code application/json} (one point or an array) or
 * {@code text/csv} (header and rows). The client, for throttling, is the {@code X-API-Key} or
 * {@code X-Client-Id} header; the default entity key is {@code X-Entity-Key}. A body that is too large, of
 * another type, or malformed fails as a whole with 413, 415 or 400.
 */
@ApplicationScoped
@Named("httpPoints")
@RegisterForReflection
public class HttpPoints implements Processor {
    static final String SOURCE = "http";

    private final VigilConfig.Http config;
    private final String defaultKey;

    @Inject
    public HttpPoints(VigilConfig config) {
        this.config = config.http();
        this.defaultKey = config.keys().defaultKey();
    }

    @Override
    public void process(Exchange exchange) {
        var in = exchange.getMessage();
        Long declared = in.getHeader("Content-Length", Long.class);
        if (declared != null && declared > config.maxBodyBytes()) {
            throw tooLarge(declared);
        }
        byte[] bytes = in.getBody(byte[].class);
        if (bytes == null || bytes.length == 0) {
            throw new InputProblem(400, "empty_body", "the request body is empty");
        }
        if (bytes.length > config.maxBodyBytes()) {
            throw tooLarge(bytes.length);
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        String client = firstNonEmpty(in.getHeader("X-API-Key", String.class), in.getHeader("X-Client-Id", String.class),
                "anonymous");
        String key = firstNonEmpty(in.getHeader("X-Entity-Key", String.class), null, defaultKey);
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<RawPoint> raw;
        if (contentType.startsWith("application/json")) {
            raw = JsonPoints.parseBody(text, key, config.maxPoints());
        } else if (contentType.startsWith("text/csv")) {
            raw = csv(text, key);
        } else {
            throw new InputProblem(415, "unsupported_media_type",
                    "Content-Type must be application/json or text/csv, was '" + contentType + "'");
        }
        in.setBody(new PointBatch(SOURCE, client, raw));
    }

    private List<RawPoint> csv(String text, String key) {
        String[] lines = text.split("\r?\n");
        CsvPoints header = new CsvPoints(lines[0]);
        List<RawPoint> raw = new ArrayList<>(lines.length);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            if (raw.size() == config.maxPoints()) {
                throw new InputProblem(413, "too_many_points", "more than " + config.maxPoints() + " points in one request");
            }
            try {
                raw.add(header.parse(lines[i], null, key));
            } catch (InputProblem p) {
                throw new InputProblem(400, p.code(), "line " + (i + 1) + ": " + p.getMessage());
            }
        }
        return raw;
    }

    private InputProblem tooLarge(long size) {
        return new InputProblem(413, "payload_too_large", "the body has " + size + " bytes; at most "
                + config.maxBodyBytes() + " are accepted (vigil.http.max-body-bytes)");
    }

    private static String firstNonEmpty(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : fallback;
    }
}
