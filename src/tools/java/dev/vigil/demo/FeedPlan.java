package dev.vigil.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts a stream into the chunks the demo sends, one after the other, each once the one before is answered: a
 * few rounds, each one inbox file and then HTTP batches. A round covers the next slice of time of every sensor;
 * the first part of each sensor's slice goes into the file, the rest over HTTP, both in time order across
 * sensors. So every sensor's readings reach its model in time order whichever channel carries them.
 *
 * <p>Few large files rather than many small ones: the inbox takes a file only after it has stayed unchanged
 * for a read-lock interval (500 ms), one file at a time, so the number of files sets the demo's pace.
 */
public final class FeedPlan {
    /** Rows per inbox file, at most. */
    public static final int FILE_ROWS = 4000;
    /** Points per HTTP request, at most. */
    public static final int HTTP_BATCH = 100;
    /** Rounds, at least, so that both channels carry readings early and late in the stream. */
    public static final int MIN_ROUNDS = 3;

    /** Which way a chunk goes. */
    public enum Channel {
        FILE, HTTP
    }

    /** Readings sent together, in time order (sensor order within a time step). */
    public record Chunk(Channel channel, List<Reading> readings) {
    }

    private FeedPlan() {
    }

    /** The chunks in sending order; {@code httpShare} is the fraction of readings sent over HTTP, in [0, 1). */
    public static List<Chunk> chunks(SensorStream stream, double httpShare) {
        if (httpShare < 0 || httpShare >= 1) {
            throw new IllegalArgumentException("httpShare must be in [0, 1), got " + httpShare);
        }
        // Each sensor's share of a round is rounded, so leave room for one row more per sensor and round.
        int perFile = FILE_ROWS - 2 * stream.sensorCount();
        int rounds = Math.max(MIN_ROUNDS, (int) Math.ceil(stream.size() * (1 - httpShare) / perFile));
        List<Chunk> chunks = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<Reading> file = new ArrayList<>();
            List<Reading> http = new ArrayList<>();
            for (int s = 0; s < stream.sensorCount(); s++) {
                List<Reading> sensor = stream.sensor(s);
                int from = r * sensor.size() / rounds;
                int to = (r + 1) * sensor.size() / rounds;
                int split = from + (int) Math.round((to - from) * (1 - httpShare));
                file.addAll(sensor.subList(from, split));
                http.addAll(sensor.subList(split, to));
            }
            // A stable sort: readings of one time step stay in sensor order.
            file.sort(Comparator.comparing(Reading::timestamp));
            http.sort(Comparator.comparing(Reading::timestamp));
            if (!file.isEmpty()) {
                chunks.add(new Chunk(Channel.FILE, file));
            }
            for (int from = 0; from < http.size(); from += HTTP_BATCH) {
                chunks.add(new Chunk(Channel.HTTP, http.subList(from, Math.min(http.size(), from + HTTP_BATCH))));
            }
        }
        return chunks;
    }
}
