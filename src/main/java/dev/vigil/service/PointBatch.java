package dev.vigil.service;

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

    private final String source;
    private final String client;
    private final List<RawPoint> raw;
    private final List<DataPoint> points = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();
    private final AtomicReference<List<Result>> results = new AtomicReference<>();

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

    public List<RawPoint> raw() {
        return raw;
    }

    public List<DataPoint> points() {
        return points;
    }

    public List<Rejection> rejections() {
        return rejections;
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

    /** The results, or null before detection. */
    public List<Result> results() {
        return results.get();
    }

    /**
     * Sets the results if none are set yet and returns whether these won. A detector that times out may still
     * finish after the fallback answered; its late results must not replace the ones already routed.
     */
    public boolean complete(List<Result> scored) {
        return results.compareAndSet(null, List.copyOf(scored));
    }

    /** Adds the points of {@code other} (aggregation of single-point deliveries). */
    public void absorb(PointBatch other) {
        points.addAll(other.points);
        rejections.addAll(other.rejections);
    }
}
