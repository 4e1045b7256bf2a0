package dev.vigil.camel;

import dev.vigil.service.DetectorState;
import dev.vigil.service.PointBatch;
import dev.vigil.service.Result;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * HTTP response bodies. Success: {@code {"results": [...], "rejected": [...]}} for /score, {@code {"accepted":
 * n, "rejected": [...]}} with 202 for /ingest; when nothing in the request was valid, 400 with the rejections.
 * Errors: {@code {"status", "error", "message"}} with the status of the {@link InputProblem}.
 */
@ApplicationScoped
@Named("httpResponses")
@RegisterForReflection
public class HttpResponses {

    /** Stops a request none of whose points is valid: 400 with the reasons, nothing is scored. */
    public void requireValidPoints(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        if (!batch.hasPoints()) {
            exchange.setRouteStop(true);
            json(exchange.getMessage(), 400, ResultJson.write(g -> {
                g.writeStartObject();
                g.writeNumberField("status", 400);
                g.writeStringField("error", "invalid_input");
                g.writeStringField("message", "no valid point in the request; see 'rejected' for the reasons");
                ResultJson.writeRejections(g, batch.rejections());
                g.writeEndObject();
            }));
        }
    }

    public void scored(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        List<Result> results = batch.results() == null ? List.of() : batch.results();
        boolean allFailed = !results.isEmpty() && results.stream().allMatch(r -> r.state() == DetectorState.FAILED);
        json(exchange.getMessage(), allFailed ? 503 : 200, ResultJson.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            for (Result r : results) {
                ResultJson.writeResult(g, batch.source(), r);
            }
            g.writeEndArray();
            ResultJson.writeRejections(g, batch.rejections());
            g.writeEndObject();
        }));
    }

    public void accepted(Exchange exchange) {
        PointBatch batch = Headers.batch(exchange);
        json(exchange.getMessage(), 202, ResultJson.write(g -> {
            g.writeStartObject();
            g.writeNumberField("accepted", batch.points().size());
            ResultJson.writeRejections(g, batch.rejections());
            g.writeEndObject();
        }));
    }

    /** The caught {@link InputProblem} (or any other failure, as 500) as a JSON error. */
    public void problem(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message m = exchange.getMessage();
        int status = 500;
        String code = "internal_error";
        String message = "the request could not be processed";
        if (cause instanceof InputProblem p) {
            status = p.status();
            code = p.code();
            message = p.getMessage();
            if (p.retryAfterSeconds() > 0) {
                m.setHeader("Retry-After", Long.toString(p.retryAfterSeconds()));
            }
        }
        int s = status;
        String c = code;
        String text = message;
        json(m, status, ResultJson.write(g -> {
            g.writeStartObject();
            g.writeNumberField("status", s);
            g.writeStringField("error", c);
            g.writeStringField("message", text);
            g.writeEndObject();
        }));
    }

    static void json(Message m, int status, String body) {
        m.removeHeaders("*", "Retry-After");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(body);
    }
}
