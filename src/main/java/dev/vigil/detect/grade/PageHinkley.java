package dev.vigil.detect.grade;

import dev.vigil.detect.Checks;

/**
 * Page-Hinkley test for a rise in the mean of a stream (Page 1954; Hinkley 1971), fed with one key's anomaly
 * scores: when what is normal changes, the model scores the new normal as unusual until its window has absorbed
 * it, and the mean score rises. Isolated anomalies raise it only for a moment and do not add up.
 *
 * <p>With {@code m} the running mean of the scores since the last reset, it accumulates
 * {@code U = sum(score - m - delta)} and its minimum so far, and fires when {@code U - min(U) > threshold} once at
 * least {@code min_points} scores have been seen; then it resets. {@code delta} is the rise of the mean score that
 * is tolerated; {@code threshold} trades delay for false alarms: a sustained rise of {@code r} fires after about
 * {@code threshold / (r - delta)} points. Only upward changes are watched: a model that finds the data more
 * ordinary than before has nothing to report.
 *
 * <p>Constant memory, no randomness, nothing allocated per score. Its state ({@link PageHinkleyState}) is the
 * count, the mean, the sum, its minimum and the last statistic.
 */
public final class PageHinkley {
    public static final double DEFAULT_DELTA = 0.01;
    public static final double DEFAULT_THRESHOLD = 2.0;
    public static final int DEFAULT_MIN_POINTS = 200;

    final double delta;
    final double threshold;
    final int minPoints;
    long count;
    double mean;
    double sum;
    double minimum;
    /** The statistic when it last fired, for the alert. */
    double firedStatistic;

    private PageHinkley(Builder b) {
        this.delta = b.delta;
        this.threshold = b.threshold;
        this.minPoints = b.minPoints;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds one score; true when the mean has risen (the test then starts afresh from the next score). */
    public boolean add(double score) {
        count++;
        mean += (score - mean) / count;
        sum += score - mean - delta;
        minimum = Math.min(minimum, sum);
        if (count >= minPoints && sum - minimum > threshold) {
            firedStatistic = sum - minimum;
            reset();
            return true;
        }
        return false;
    }

    /** Forgets everything seen: the next score starts a new test. */
    public void reset() {
        count = 0;
        mean = 0;
        sum = 0;
        minimum = 0;
    }

    /** {@code U - min(U)} when it last fired. */
    public double firedStatistic() {
        return firedStatistic;
    }

    /** {@code U - min(U)} now. */
    public double statistic() {
        return sum - minimum;
    }

    public double threshold() {
        return threshold;
    }

    /** Scores seen since the last reset. */
    public long count() {
        return count;
    }

    /** Settings; {@link #build} checks each and names the one that is wrong. */
    public static final class Builder {
        private double delta = DEFAULT_DELTA;
        private double threshold = DEFAULT_THRESHOLD;
        private int minPoints = DEFAULT_MIN_POINTS;

        public Builder delta(double delta) {
            this.delta = delta;
            return this;
        }

        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        public Builder minPoints(int minPoints) {
            this.minPoints = minPoints;
            return this;
        }

        public PageHinkley build() {
            Checks.range("delta", delta, 0.0, 1.0);
            Checks.range("threshold", threshold, Double.MIN_VALUE, 1e6);
            Checks.range("min-points", minPoints, 1, Integer.MAX_VALUE);
            return new PageHinkley(this);
        }
    }
}
