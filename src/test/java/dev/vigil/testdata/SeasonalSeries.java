package dev.vigil.testdata;

import dev.vigil.detect.Rng;

/**
 * A seeded univariate metric for time-series tests: a daily-like cycle {@code LEVEL + AMPLITUDE * sin(phase)} of
 * {@link #PERIOD} points with Gaussian noise of {@link #NOISE}, and one injected event of a chosen kind. The phase
 * advances continuously, so a change of period bends the curve without a jump.
 */
public final class SeasonalSeries {
    public static final double LEVEL = 10;
    public static final double AMPLITUDE = 5;
    public static final int PERIOD = 48;
    public static final double NOISE = 0.3;

    /** What is injected at the event's start, and for how long by default. */
    public enum Event {
        /** Three readings 8 above the curve (above its whole normal range). */
        SPIKE(3),
        /** The level rises by 4 and stays there. */
        LEVEL_SHIFT(Integer.MAX_VALUE),
        /** The period halves (same range, twice the pace) for 200 points. */
        SEASONALITY(200),
        /** A stuck sensor: the last reading repeats, without noise, for 100 points. */
        FLAT_LINE(100);

        public final int duration;

        Event(int duration) {
            this.duration = duration;
        }
    }

    private SeasonalSeries() {
    }

    /** {@code length} readings; the event (if any) starts at {@code start} and lasts its default duration. */
    public static double[] generate(long seed, int length, Event event, int start) {
        Rng rng = new Rng(seed);
        double[] x = new double[length];
        double phase = 0;
        for (int t = 0; t < length; t++) {
            boolean during = event != null && t >= start && t - start < event.duration;
            double period = during && event == Event.SEASONALITY ? PERIOD / 2.0 : PERIOD;
            double value = LEVEL + AMPLITUDE * Math.sin(phase) + NOISE * rng.nextGaussian();
            phase += 2 * Math.PI / period;
            if (during) {
                switch (event) {
                    case SPIKE -> value += 8;
                    case LEVEL_SHIFT -> value += 4;
                    case FLAT_LINE -> value = x[start - 1];
                    case SEASONALITY -> { }
                }
            }
            x[t] = value;
        }
        return x;
    }
}
