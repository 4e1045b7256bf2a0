package dev.vigil.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedPlanTest {
    private static final SensorStream STREAM = SensorStream.generate(42, 20_000, "t-");

    @Test
    void chunks_everySensor_everyReadingOnceInTimeOrder() {
        List<FeedPlan.Chunk> chunks = FeedPlan.chunks(STREAM, 0.15);
        for (int s = 0; s < STREAM.sensorCount(); s++) {
            String key = SensorStream.key(s);
            List<Reading> sent = new ArrayList<>();
            chunks.forEach(c -> c.readings().stream().filter(r -> r.key().equals(key)).forEach(sent::add));
            assertEquals(STREAM.sensor(s), sent, key);
        }
    }

    @Test
    void chunks_fifteenPercentShare_sendsAboutThatShareOverHttp() {
        for (int points : new int[] {SensorStream.MIN_POINTS, 5_000, 20_000, 100_001}) {
            SensorStream stream = SensorStream.generate(1, points, "t-");
            int http = FeedPlan.chunks(stream, 0.15).stream().filter(c -> c.channel() == FeedPlan.Channel.HTTP)
                    .mapToInt(c -> c.readings().size()).sum();
            double share = http / (double) points;
            assertTrue(share > 0.14 && share < 0.16, points + " points: http share " + share);
        }
    }

    @Test
    void chunks_anySize_respectSizeLimitsAndStartWithAFile() {
        for (int points : new int[] {SensorStream.MIN_POINTS, 5_000, 20_000, 100_001}) {
            List<FeedPlan.Chunk> chunks = FeedPlan.chunks(SensorStream.generate(1, points, "t-"), 0.15);
            assertEquals(FeedPlan.Channel.FILE, chunks.get(0).channel());
            assertTrue(chunks.stream().filter(c -> c.channel() == FeedPlan.Channel.FILE).count()
                    >= FeedPlan.MIN_ROUNDS);
            for (FeedPlan.Chunk c : chunks) {
                int limit = c.channel() == FeedPlan.Channel.FILE ? FeedPlan.FILE_ROWS : FeedPlan.HTTP_BATCH;
                assertTrue(!c.readings().isEmpty() && c.readings().size() <= limit,
                        points + " points: " + c.channel() + " of " + c.readings().size());
            }
        }
    }

    @Test
    void chunks_shareOutOfRange_throws() {
        assertThrows(IllegalArgumentException.class, () -> FeedPlan.chunks(STREAM, 1.0));
    }
}
