package dev.vigil.camel.source.http;

import dev.vigil.camel.parse.InputProblem;
import dev.vigil.camel.sink.ResultJson;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.security.SecurityEvent;
import dev.vigil.service.security.SecurityEvents;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * JSON problem bodies for what is refused outside the routes: by {@link ApiGate}, and by the HTTP body handler,
 * which stops reading a body without a declared length (chunked) once it passes the limit and fails the request
 * with 413. {@code quarkus.http.limits.max-body-size} is {@code vigil.http.max-body-bytes}, so no request body
 * is ever buffered beyond it. Other failures go on to Quarkus's own handler.
 */
@ApplicationScoped
public class ApiErrors {
    /** Ahead of Quarkus's own failure handler, which is registered last. */
    private static final int ORDER = -1000;

    private final SecurityEvents events;
    private final long maxBodyBytes;

    @Inject
    public ApiErrors(SecurityEvents events, VigilConfig config) {
        this.events = events;
        this.maxBodyBytes = config.http().maxBodyBytes();
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(ORDER).failureHandler(this::onFailure);
    }

    void onFailure(RoutingContext ctx) {
        if (ctx.statusCode() != 413 || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        events.record(SecurityEvent.Type.PAYLOAD_TOO_LARGE, ctx.request().getHeader(ApiGate.CLIENT_HEADER),
                ApiGate.remoteAddress(ctx.request()), "body without a declared length over " + maxBodyBytes + " bytes");
        send(ctx, new InputProblem(413, "payload_too_large", "the body is larger than " + maxBodyBytes
                + " bytes (vigil.http.max-body-bytes)"));
    }

    /** Answers with {@code {"status", "error", "message"}}. */
    static Future<Void> send(RoutingContext ctx, InputProblem problem) {
        return ctx.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(ResultJson.problem(problem));
    }
}
