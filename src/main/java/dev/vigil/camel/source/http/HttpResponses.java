package dev.vigil.camel.source.http;

import dev.vigil.camel.parse.InputProblem;
import dev.vigil.camel.pipeline.Headers;
import dev.vigil.camel.sink.ResultJson;
import dev.vigil.service.point.DetectorState;
import dev.vigil.service.point.PointBatch;
import dev.vigil.service.point.Rejection;
import dev.vigil.service.point.Result;
import dev.vigil.service.security.SecurityEvent;
import dev.vigil.service.security.SecurityEvents;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jboss.logging.Logger;

/**
 * HTTP response bodies. Success: {@code {"results": [...], "rejected": [...]}} for /score, {@code {"accepted":
 * n, "rejected": [...]}} with 202 for /ingest; when nothing in the request was valid, 400 with the rejections.
 * Errors: {@code {"status", "error", "message"}} with the status of the {@link InputProblem}. Refused
 * requests and requests with invalid points are also security events.
 */
@ApplicationScoped
@Named("httpResponses")
@RegisterForReflection
public class HttpResponses {
    private static final Logger LOG = Logger.getLogger(HttpResponses.class);
    private final SecurityEvents events;

    @Inject
    public HttpResponses(SecurityEvents events) {
        this.events = events;
    }

    /**
     * Records invalid points as a security event, and stops a request none of whose points is valid: 400 with
     * the reasons, nothing is scored. A request that holds no point at all ({@code []}, a CSV header alone) is
     * refused the same way and recorded as malformed.
     */
    public void requireValidPoints(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        String remote = remoteAddress(exchange.getMessage());
        boolean empty = batch.rejections().isEmpty() && !batch.hasPoints();
        if (!batch.rejections().isEmpty()) {
            events.record(SecurityEvent.Type.INVALID_POINTS, batch.client(), remote, invalidPointsDetail(batch));
        } else if (empty) {
            events.record(SecurityEvent.Type.MALFORMED_REQUEST, batch.client(), remote, "no_points");
        }
        if (!batch.hasPoints()) {
            exchange.setRouteStop(true);
            json(exchange.getMessage(), 400, ResultJson.write(g -> {
                g.writeStartObject();
                g.writeNumberField("status", 400);
                g.writeStringField("error", "invalid_input");
                g.writeStringField("message", empty ? "the request holds no data point"
                        : "no valid point in the request; see 'rejected' for the reasons");
                g.writeFieldName("rejected");
                ResultJson.writeRejections(g, batch.rejections());
                g.writeEndObject();
            }));
        }
    }

    /**
     * {@code {"results": [...], "rejected": [...]}}, 503 when every result failed. The results are the sinks' lines,
     * already written and made well-formed where the batch was scored: joined as they are, not written again.
     */
    public void scored(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        List<Result> results = batch.results() == null ? List.of() : batch.results();
        boolean allFailed = !results.isEmpty() && results.stream().allMatch(r -> r.state() == DetectorState.FAILED);
        List<String> lines = batch.lines();
        StringBuilder body = new StringBuilder(64 + 320 * results.size()).append("{\"results\":[");
        for (int i = 0; i < results.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(lines != null ? lines.get(i) : ResultJson.result(batch.source(), results.get(i)));
        }
        body.append("],\"rejected\":").append(batch.rejections().isEmpty() ? "[]"
                : ResultJson.write(g -> ResultJson.writeRejections(g, batch.rejections()))).append('}');
        json(exchange.getMessage(), allFailed ? 503 : 200, body.toString());
    }

    public void accepted(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        json(exchange.getMessage(), 202, ResultJson.write(g -> {
            g.writeStartObject();
            g.writeNumberField("accepted", batch.points().size());
            g.writeFieldName("rejected");
            ResultJson.writeRejections(g, batch.rejections());
            g.writeEndObject();
        }));
    }

    /** The caught {@link InputProblem} (or any other failure, as 500) as a JSON error. */
    public void problem(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message m = exchange.getMessage();
        InputProblem problem = cause instanceof InputProblem p ? p
                : new InputProblem(500, "internal_error", "the request could not be processed");
        if (!(cause instanceof InputProblem)) {
            // The exception's message may quote the request: only its type at WARN, the whole of it at DEBUG.
            LOG.warnf("An HTTP request failed with %s (answered 500)",
                    cause == null ? "no exception" : cause.getClass().getName());
            LOG.debug("HTTP request failure", cause);
        }
        record(m, problem);
        if (problem.retryAfterSeconds() > 0) {
            m.setHeader("Retry-After", Long.toString(problem.retryAfterSeconds()));
        }
        json(m, problem.status(), ResultJson.problem(problem));
    }

    /**
     * The refusal as a security event. Only Vigil's own words go into the detail: the message of a 400 may
     * quote the body (a parser's error), so for those only the error code is kept.
     */
    private void record(Message m, InputProblem p) {
        SecurityEvent.Type type = switch (p.status()) {
            case 400 -> SecurityEvent.Type.MALFORMED_REQUEST;
            case 413 -> SecurityEvent.Type.PAYLOAD_TOO_LARGE;
            case 415 -> SecurityEvent.Type.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> SecurityEvent.Type.RATE_LIMITED;
            default -> null;
        };
        if (type != null) {
            String detail = p.status() == 400 ? p.code() : p.code() + ": " + p.getMessage();
            events.record(type, ApiGate.clientOf(m), remoteAddress(m), detail);
        }
    }

    /** "2 of 5 points refused: blocked_pattern 1, not_a_number 1": reasons and counts, never fields or values. */
    private static String invalidPointsDetail(PointBatch batch) {
        Map<String, Integer> reasons = new TreeMap<>();
        for (Rejection r : batch.rejections()) {
            reasons.merge(r.rule().label(), 1, Integer::sum);
        }
        int all = batch.rejections().size() + batch.points().size();
        StringBuilder detail = new StringBuilder().append(batch.rejections().size()).append(" of ").append(all)
                .append(" points refused:");
        String separator = " ";
        for (Map.Entry<String, Integer> r : reasons.entrySet()) {
            detail.append(separator).append(r.getKey()).append(' ').append(r.getValue());
            separator = ", ";
        }
        return detail.toString();
    }

    private static String remoteAddress(Message m) {
        return ApiGate.remoteAddressOf(m);
    }

    /**
     * The body as a ByteBuffer of its UTF-8 bytes: platform-http sends that whole, with its Content-Length. A String
     * it sends chunked, and a byte[] it streams through an input stream and a pump (JFR: a quarter of a single-point
     * request's allocations).
     */
    public static void json(Message m, int status, String body) {
        m.removeHeaders("*", "Retry-After");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }
}
