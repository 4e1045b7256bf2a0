package dev.vigil.camel.source.http;

import dev.vigil.camel.parse.InputProblem;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.monitor.VigilMetrics;
import dev.vigil.service.security.ApiKeyRing;
import dev.vigil.service.security.ClientThrottle;
import dev.vigil.service.security.SecurityEvent;
import dev.vigil.service.security.SecurityEvents;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The door of the HTTP API: a Vert.x filter in front of every {@code /api/*} request, whatever route or
 * endpoint serves it, that runs before the body is read. It refuses
 * <ul>
 * <li>a missing or unknown {@code X-API-Key} with 401 (unless {@code vigil.security.enabled=false}),</li>
 * <li>a body framed twice, by {@code Content-Length} and {@code Transfer-Encoding}, with 400 (the two can disagree
 * about where the body ends: request smuggling); the HTTP/1.1 decoder already drops such a Content-Length, so every
 * chunked request's connection is closed after its answer instead,</li>
 * <li>a body that is neither {@code application/json} nor {@code text/csv} with 415,</li>
 * <li>a body whose declared {@code Content-Length} is over {@code vigil.http.max-body-bytes} with 413,</li>
 * <li>a body from a client already over its rate limit with 429,</li>
 * <li>a body that would take the bodies held over all connections past {@code vigil.http.max-buffered-mb} with
 * 503 and Retry-After ({@link BodyBudget}),</li>
 * </ul>
 * each with the JSON problem body and a security event, so a caller without a key cannot even make Vigil
 * buffer a body; a refused body is read only to be dropped, and the connection is closed after the answer. An
 * admitted body must arrive within {@code vigil.http.body-timeout}, or its connection is closed. An admitted request
 * carries its client name in {@link #CLIENT_HEADER} of the HTTP request (a value the caller sent there is replaced),
 * and no longer carries the key: the secret goes no further than this filter. Chunked bodies without a length are
 * held to the body limit by the HTTP body handler (see {@link ApiErrors}).
 */
@ApplicationScoped
public class ApiGate {
    /** The caller's client name on an admitted request: the key's configured name (or, with keys off, X-Client-Id). */
    public static final String CLIENT_HEADER = "X-Vigil-Client";
    static final String KEY_HEADER = "X-API-Key";
    static final String CLIENT_ID_HEADER = "X-Client-Id";
    static final String ANONYMOUS = "anonymous";
    /** Before every other handler of the application router, in particular the body handler. */
    private static final int PRIORITY = 1000;
    private static final String CHALLENGE = "ApiKey realm=\"vigil\", header=\"" + KEY_HEADER + "\"";

    private static final long RETRY_AFTER_BUSY = 1;
    /** How long a refused request's body is read and dropped before its connection is closed anyway. */
    static final long LINGER_MILLIS = 2_000;
    /** Routing-context data: the connection closes after this request's answer. */
    private static final String CLOSING = "vigil.closing";

    private final ApiKeyRing keys;
    private final SecurityEvents events;
    private final ClientThrottle throttle;
    private final long maxBodyBytes;
    private final long bodyTimeoutMillis;
    private final BodyBudget bodies;

    @Inject
    public ApiGate(ApiKeyRing keys, SecurityEvents events, ClientThrottle throttle, VigilMetrics metrics,
            VigilConfig config) {
        this.keys = keys;
        this.events = events;
        this.throttle = throttle;
        this.maxBodyBytes = config.http().maxBodyBytes();
        this.bodyTimeoutMillis = config.http().bodyTimeout();
        this.bodies = new BodyBudget(config.http().maxBufferedMb() * 1024 * 1024);
        metrics.gaugeIn("vigil.http.bodies.held", "Request bodies held over all connections (declared sizes)", "bytes",
                bodies::held);
        metrics.gaugeIn("vigil.http.bodies.budget", "Most request bodies held at once (vigil.http.max-buffered-mb)",
                "bytes", bodies::capacity);
    }

    /**
     * The client {@link ApiGate} admitted the request of {@code message} for: read from the HTTP request itself, where
     * only this filter writes it. Camel copies query parameters into headers too, so a header named like it may hold
     * the caller's words; on a message that did not come from the HTTP server (a test, another way in) the header is
     * taken if it is plain text. Null when there is none.
     */
    public static String clientOf(Message message) {
        return requestHeader(message, CLIENT_HEADER);
    }

    /**
     * A header of the HTTP request of {@code message} as the caller sent it (or this filter set it), never a query
     * parameter of the same name; for a message from elsewhere, the message header if it is plain text.
     */
    static String requestHeader(Message message, String name) {
        if (message instanceof HttpMessage http && http.getRequest() != null) {
            return http.getRequest().getHeader(name);
        }
        return message.getHeader(name) instanceof String value ? value : null;
    }

    /** The caller's address, from the HTTP request of {@code message}; null for a message from elsewhere. */
    public static String remoteAddressOf(Message message) {
        return message instanceof HttpMessage http && http.getRequest() != null ? remoteAddress(http.getRequest())
                : null;
    }

    void register(@Observes Filters filters) {
        filters.register(this::admit, PRIORITY);
    }

    static boolean isApi(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/"));
    }

    static String remoteAddress(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null ? null : remote.hostAddress();
    }

    void admit(RoutingContext ctx) {
        if (!isApi(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        HttpServerRequest request = ctx.request();
        MultiMap headers = request.headers();
        headers.remove(CLIENT_HEADER);
        String client;
        if (keys.enabled()) {
            String presented = headers.get(KEY_HEADER);
            headers.remove(KEY_HEADER);
            if (presented == null || presented.isEmpty()) {
                unauthorized(ctx, SecurityEvent.Type.MISSING_API_KEY, "no " + KEY_HEADER + " header",
                        "this API needs an " + KEY_HEADER + " header");
                return;
            }
            Optional<String> known = keys.clientOf(presented);
            if (known.isEmpty()) {
                unauthorized(ctx, SecurityEvent.Type.INVALID_API_KEY, "the key matches no configured key",
                        "the " + KEY_HEADER + " is not valid");
                return;
            }
            client = known.get();
        } else {
            String id = headers.get(CLIENT_ID_HEADER);
            client = id == null || id.isBlank() ? ANONYMOUS : id;
        }
        headers.set(CLIENT_HEADER, client);
        if (hasBody(headers) && !bodyAdmitted(ctx, headers, client)) {
            return;
        }
        ctx.next();
    }

    /** Framing, type, declared size, the client's rate and room for the body: before a byte of it is read. */
    private boolean bodyAdmitted(RoutingContext ctx, MultiMap headers, String client) {
        if (headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
            if (headers.contains(HttpHeaders.CONTENT_LENGTH)) {
                refuse(ctx, client, SecurityEvent.Type.MALFORMED_REQUEST, "Content-Length with Transfer-Encoding",
                        new InputProblem(400, "ambiguous_framing", "the request has both Content-Length and "
                                + "Transfer-Encoding; send one of them"));
                return false;
            }
            // The HTTP/1.1 decoder drops a Content-Length sent with chunked framing before this filter runs, so the
            // ambiguity is invisible here: whatever a proxy in front made of it, nothing after this body on this
            // connection is read as a request (RFC 9112, 6.3: close after responding).
            closeAfterAnswer(ctx);
        }
        String type = HttpPoints.mediaType(headers.get(HttpHeaders.CONTENT_TYPE));
        if (!HttpPoints.accepts(type)) {
            refuse(ctx, client, SecurityEvent.Type.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + token(type) + "'",
                    new InputProblem(415, "unsupported_media_type", HttpPoints.UNSUPPORTED_MESSAGE));
            return false;
        }
        long declared = contentLength(headers);
        if (declared > maxBodyBytes) {
            refuse(ctx, client, SecurityEvent.Type.PAYLOAD_TOO_LARGE, "declared " + declared + " bytes, limit "
                    + maxBodyBytes, HttpPoints.tooLarge(declared, maxBodyBytes));
            return false;
        }
        // A client in debt is refused before it costs a buffer; the points are charged once they are parsed.
        long wait = throttle.tryAcquire(HttpPoints.SOURCE, client, 0);
        if (wait > 0) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
            refuse(ctx, client, SecurityEvent.Type.RATE_LIMITED, "over its limit before the body was read",
                    new InputProblem(429, "rate_limited", "client over its limit of " + throttle.limit(HttpPoints.SOURCE)
                            + " points per minute; retry after " + seconds + " s", seconds));
            return false;
        }
        long size = declared >= 0 ? declared : maxBodyBytes;
        if (!bodies.tryReserve(client, size)) {
            refuse(ctx, client, SecurityEvent.Type.SERVER_BUSY, "bodies held " + bodies.held() + " bytes, budget "
                    + bodies.capacity(), new InputProblem(503, "server_busy", "too many request bodies are being "
                    + "received (vigil.http.max-buffered-mb); retry after " + RETRY_AFTER_BUSY + " s",
                    RETRY_AFTER_BUSY));
            return false;
        }
        holdUntilAnswered(ctx, client, size);
        return true;
    }

    /**
     * Keeps the reservation until the response ends or the connection closes, and closes a connection whose body is
     * not in within {@code vigil.http.body-timeout}: a body trickling in would hold its reservation for ever.
     */
    private void holdUntilAnswered(RoutingContext ctx, String client, long size) {
        HttpServerRequest request = ctx.request();
        AtomicBoolean released = new AtomicBoolean();
        long timer = ctx.vertx().setTimer(bodyTimeoutMillis, id -> {
            if (!request.isEnded() && !released.get()) {
                events.record(SecurityEvent.Type.REQUEST_TIMEOUT, client, remoteAddress(request), "body not received"
                        + " within " + bodyTimeoutMillis + " ms; connection closed");
                request.connection().close();
            }
        });
        ctx.addEndHandler(done -> {
            ctx.vertx().cancelTimer(timer);
            if (released.compareAndSet(false, true)) {
                bodies.release(client, size);
            }
        });
    }

    /** A caller's media type as far as it looks like one: token characters only, short. */
    private static String token(String mediaType) {
        String t = mediaType.replaceAll("[^a-z0-9!#$&^_.+*/-]", "?");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }

    private static boolean hasBody(MultiMap headers) {
        return contentLength(headers) > 0 || headers.contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static long contentLength(MultiMap headers) {
        String value = headers.get(HttpHeaders.CONTENT_LENGTH);
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void unauthorized(RoutingContext ctx, SecurityEvent.Type type, String detail, String message) {
        ctx.response().putHeader("WWW-Authenticate", CHALLENGE);
        refuse(ctx, null, type, detail, new InputProblem(401, type.label(), message));
    }

    /** Answers with the problem; a body the request still carries is dropped, and the connection closed after it. */
    private void refuse(RoutingContext ctx, String client, SecurityEvent.Type type, String detail, InputProblem problem) {
        events.record(type, client, remoteAddress(ctx.request()), detail);
        if (problem.retryAfterSeconds() > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(problem.retryAfterSeconds()));
        }
        if (hasBody(ctx.request().headers()) && !ctx.request().isEnded()) {
            closeAfterAnswer(ctx);
        }
        ApiErrors.send(ctx, problem);
    }

    /**
     * Closes an HTTP/1.x connection once the answer is sent (and says so in the answer): the server would otherwise
     * read on for the next request. A body not yet read is first read and dropped for up to {@value #LINGER_MILLIS} ms,
     * so that a client still sending it gets to read the answer (closing on unread data resets the connection, and
     * the answer with it); a client that sends on is cut off then. HTTP/2 streams have their own framing and are left
     * alone.
     */
    private static void closeAfterAnswer(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.version() == HttpVersion.HTTP_2 || ctx.get(CLOSING) != null) {
            return;
        }
        ctx.put(CLOSING, Boolean.TRUE);
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        ctx.addEndHandler(done -> {
            if (request.isEnded()) {
                request.connection().close();
                return;
            }
            long linger = ctx.vertx().setTimer(LINGER_MILLIS, id -> request.connection().close());
            request.handler(dropped -> { }).endHandler(end -> {
                ctx.vertx().cancelTimer(linger);
                request.connection().close();
            });
            request.resume();
        });
    }
}
