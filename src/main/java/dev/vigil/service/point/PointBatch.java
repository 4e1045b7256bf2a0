package dev.vigil.service.point;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The unit of work from source to sink: the points one file chunk, Kafka poll, HTTP request or JMS message
 * delivered, and what became of them. Parsing fills {@link #raw()} (and rejects what it cannot read),
 * validation moves raw points to {@link #points()} or {@link #rejections()}, detection sets the results once.
 */
public final class PointBatch {
    /** Client of a batch whose points are each their own entity's client (a Kafka poll: client = record key). */
    public static final String CLIENT_IS_ENTITY_KEY = "";
    private static final Outcome FALLBACK_PENDING = new Outcome(List.of(), null);

    private final String source;
    private final String client;
    private final List<RawPoint> raw;
    private final List<DataPoint> points = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();
    private final AtomicReference<Outcome> outcome = new AtomicReference<>();
    private volatile boolean detectionAttempted;
    private boolean countedOnArrival;
    private volatile Throwable detectionFailure;

    public PointBatch(String source, String client, List<RawPoint> raw) {
        this.source = source;
        this.client = client;
        this.raw = raw;
    }

    /** A batch of already validated points (e.g. one entity's share of a larger batch). */
    public static PointBatch ofPoints(String source, String client, List<DataPoint> points) {
        PointBatch batch = new PointBatch(source, client, new ArrayList<>());
        batch.points.addAll(points);
        return batch;
    }

    /** file, http, kafka or jms. */
    public String source() {
        return source;
    }

    /** Who sent it, for throttling: an API key or client id, a Kafka record key, a file name. */
    public String client() {
        return client;
    }

    /** The client of a point of this batch with entity key {@code key}: the batch's, or the key itself (Kafka). */
    public String clientOf(String key) {
        return CLIENT_IS_ENTITY_KEY.equals(client) ? key : client;
    }

    public List<RawPoint> raw() {
        return raw;
    }

    public List<DataPoint> points() {
        return points;
    }

    public List<Rejection> rejections() {
        return rejections;
    }

    /**
     * Marks points that were counted as received when they first arrived: /ingest counts its points at the door,
     * and the ingest spool validates them again when it reads them back.
     */
    public PointBatch markCountedOnArrival() {
        countedOnArrival = true;
        return this;
    }

    /** Whether its points were already counted as received (see {@link #markCountedOnArrival()}). */
    public boolean countedOnArrival() {
        return countedOnArrival;
    }

    public boolean hasRejections() {
        return !rejections.isEmpty();
    }

    public boolean hasPoints() {
        return !points.isEmpty();
    }

    /** The entity key shared by all points, or null when they are mixed (or there are none). */
    public String entityKey() {
        String key = null;
        for (DataPoint p : points) {
            if (key == null) {
                key = p.key();
            } else if (!key.equals(p.key())) {
                return null;
            }
        }
        return key;
    }

    /** The results, or null before detection (and while the fallback computes them). */
    public List<Result> results() {
        Outcome o = outcome.get();
        return o == null || o == FALLBACK_PENDING ? null : o.results;
    }

    /**
     * The results as the lines the sinks write, in the same order, when detection rendered them where it scored
     * (which spreads the rendering over the scoring threads); null otherwise.
     */
    public List<String> lines() {
        Outcome o = outcome.get();
        return o == null || o == FALLBACK_PENDING ? null : o.lines;
    }

    /**
     * Sets the model's results unless the fallback has claimed the batch, and returns whether they were set. A
     * model that timed out may still finish later; its results must not replace the fallback's.
     */
    public boolean complete(List<Result> scored) {
        return outcome.compareAndSet(null, new Outcome(List.copyOf(scored), null));
    }

    /** As {@link #complete(List)}, with each result rendered as its sink line ({@code lines}, in the same order). */
    public boolean complete(List<Result> scored, List<String> lines) {
        if (scored.size() != lines.size()) {
            throw new IllegalArgumentException(scored.size() + " results but " + lines.size() + " lines");
        }
        return outcome.compareAndSet(null, new Outcome(List.copyOf(scored), List.copyOf(lines)));
    }

    /** Claims the batch for the fallback; false if the model answered first (then its results stand). */
    public boolean claimForFallback() {
        return outcome.compareAndSet(null, FALLBACK_PENDING);
    }

    /** Sets the fallback's results, after {@link #claimForFallback()}. */
    public void completeFallback(List<Result> scored) {
        outcome.set(new Outcome(List.copyOf(scored), null));
    }

    /** What detection made of the points: the results and their lines are set together, once. */
    private record Outcome(List<Result> results, List<String> lines) {
    }

    /**
     * Records that the model started on this batch, and how it failed if it did. The circuit breaker runs the
     * model on a copy of the exchange, so this shared record is how the fallback learns why it was called.
     */
    public void detectionAttempted() {
        detectionAttempted = true;
    }

    public void detectionFailed(Throwable failure) {
        detectionFailure = failure;
    }

    /**
     * Why the fallback answers: {@code timeout} if the model took too long, {@code error: <exception>} if it
     * failed, {@code circuit_open} if the breaker did not let it start.
     */
    public String fallbackReason() {
        Throwable failure = detectionFailure;
        if (failure instanceof java.util.concurrent.TimeoutException) {
            return "timeout";
        }
        if (failure != null) {
            String message = failure.getMessage() == null ? failure.getClass().getSimpleName()
                    : failure.getClass().getSimpleName() + ": " + failure.getMessage();
            return "error: " + (message.length() > 200 ? message.substring(0, 200) : message);
        }
        return detectionAttempted ? "interrupted" : "circuit_open";
    }

    /** Adds the points of {@code other} (aggregation of single-point deliveries). */
    public void absorb(PointBatch other) {
        points.addAll(other.points);
        rejections.addAll(other.rejections);
    }
}
