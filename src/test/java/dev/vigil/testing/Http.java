package dev.vigil.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The java.net.http client of the tests, bounded: it gives up connecting after {@link #CONNECT}, and a call
 * returns, or fails, within {@link #ANSWER} with the whole answer read. (A request's own timeout covers only the
 * wait for the response headers: a body that stalls would hold the caller for ever.)
 */
public final class Http {
    public static final Duration CONNECT = Duration.ofSeconds(10);
    public static final Duration ANSWER = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT).build();

    private Http() {
    }

    /** Sends {@code request} and reads the answer as text, within {@link #ANSWER}. */
    public static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return send(request, HttpResponse.BodyHandlers.ofString(), ANSWER);
    }

    /** Sends {@code request} and reads the answer with {@code body}, within {@code limit}. */
    public static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body, Duration limit)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<T>> answer = CLIENT.sendAsync(request, body);
        try {
            return answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException(request.method() + " " + request.uri() + ": no complete answer within " + limit);
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(request.method() + " " + request.uri(), e.getCause());
        }
    }
}
