package dev.vigil.camel.source.http;

import dev.vigil.camel.parse.InputProblem;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.security.ApiKeyRing;
import dev.vigil.service.security.SecurityEvent;
import dev.vigil.service.security.SecurityEvents;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The door of the HTTP API: a Vert.x filter in front of every {@code /api/*} request, whatever route or
 * endpoint serves it, that runs before the body is read. It refuses
 * <ul>
 * <li>a missing or unknown {@code X-API-Key} with 401 (unless {@code vigil.security.enabled=false}),</li>
 * <li>a body whose declared {@code Content-Length} is over {@code vigil.http.max-body-bytes} with 413,</li>
 * <li>a body that is neither {@code application/json} nor {@code text/csv} with 415,</li>
 * </ul>
 * each with the JSON problem body and a security event, so a caller without a key cannot even make Vigil
 * buffer a body. An admitted request carries its client name in {@link #CLIENT_HEADER} (a value the caller
 * sent there is replaced), and no longer carries the key: the secret goes no further than this filter.
 * Chunked bodies without a length are held to the same limit by the HTTP body handler (see {@link ApiErrors}).
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

    private final ApiKeyRing keys;
    private final SecurityEvents events;
    private final long maxBodyBytes;

    @Inject
    public ApiGate(ApiKeyRing keys, SecurityEvents events, VigilConfig config) {
        this.keys = keys;
        this.events = events;
        this.maxBodyBytes = config.http().maxBodyBytes();
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

    /** Type and declared size, checked before a byte of the body is read. */
    private boolean bodyAdmitted(RoutingContext ctx, MultiMap headers, String client) {
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
        return true;
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

    private void refuse(RoutingContext ctx, String client, SecurityEvent.Type type, String detail, InputProblem problem) {
        events.record(type, client, remoteAddress(ctx.request()), detail);
        ApiErrors.send(ctx, problem);
    }
}
