package dev.vigil.detect.grade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.Rng;
import dev.vigil.detect.state.CheckpointFormatException;
import dev.vigil.detect.state.StateFormat;
import dev.vigil.testing.StateBytes;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {

    private static int firstAlarm(PageHinkley ph, double before, double after, int changeAt, int n) {
        for (int i = 0; i < n; i++) {
            if (ph.add(i < changeAt ? before : after)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void add_steadyScores_neverFires() {
        assertEquals(-1, firstAlarm(PageHinkley.builder().build(), 0.45, 0.45, 0, 100_000));
    }

    @Test
    void add_meanRises_firesAfterAboutThresholdOverTheRise() {
        PageHinkley ph = PageHinkley.builder().delta(0.01).threshold(2).minPoints(50).build();
        int at = firstAlarm(ph, 0.4, 0.8, 1000, 2000);
        // U grows by (0.8 - mean - delta) per point, the mean itself moving up slowly: a little over 2 / 0.39.
        assertTrue(at >= 1005 && at <= 1010, "fired at " + at);
        assertTrue(ph.firedStatistic() > 2, "statistic " + ph.firedStatistic());
        assertEquals(0, ph.count(), "reset after firing");
    }

    @Test
    void add_meanFalls_doesNotFire() {
        assertEquals(-1, firstAlarm(PageHinkley.builder().build(), 0.8, 0.4, 1000, 5000));
    }

    @Test
    void add_beforeMinPoints_doesNotFire() {
        PageHinkley rising = PageHinkley.builder().minPoints(300).build();
        int at = firstAlarm(rising, 0.0, 1.0, 10, 1000);
        assertEquals(299, at, "the rise is seen at once, reported once min_points scores have arrived");
    }

    @Test
    void read_restoredTest_continuesExactly() throws Exception {
        PageHinkley original = PageHinkley.builder().build();
        Rng rng = new Rng(4);
        for (int i = 0; i < 300; i++) {
            original.add(0.45 + 0.05 * rng.nextGaussian());
        }
        StateFormat<PageHinkley> format = StateFormat.of(PageHinkley.class, new PageHinkleyStateMapper(),
                new PageHinkleyStateCodec());
        PageHinkley restored = PageHinkley.builder().build();
        StateBytes.restore(format, restored, StateBytes.of(format, original));
        assertArrayEquals(StateBytes.of(format, original), StateBytes.of(format, restored));
        for (int i = 0; i < 500; i++) {
            double s = i < 200 ? 0.45 : 0.7;
            assertEquals(original.add(s), restored.add(s), "score " + i);
            assertEquals(original.statistic(), restored.statistic(), 0.0);
        }
        CheckpointFormatException other = assertThrows(CheckpointFormatException.class, () -> StateBytes.restore(
                format, PageHinkley.builder().threshold(3).build(), StateBytes.of(format, original)));
        assertTrue(other.getMessage().contains("threshold=3.0 here, threshold=2.0 in the checkpoint"), other.getMessage());
    }

    @Test
    void build_badSetting_namesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PageHinkley.builder().threshold(0).build());
        assertTrue(e.getMessage().startsWith("threshold must be in"), e.getMessage());
        assertFalse(assertThrows(IllegalArgumentException.class, () -> PageHinkley.builder().minPoints(0).build())
                .getMessage().isEmpty());
    }
}
