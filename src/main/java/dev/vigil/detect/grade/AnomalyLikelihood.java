package dev.vigil.detect.grade;

import dev.vigil.detect.Sizes;

/**
 * How unlikely one key's recent scores are under its own long-run score distribution: the anomaly likelihood of
 * Ahmad et al. (2017), the step that turns the raw scores of NAB's numenta detector into alerts. The average of
 * the last {@value #SHORT_WINDOW} scores is set against a normal distribution fitted to the earlier averages, and
 * the likelihood is {@code Φ(z)}, the share of that distribution below it: 0.5 is ordinary, 0.99999 is rarer than
 * 1 in 100,000. A single high score moves the average a little, a run of them a lot, so a model whose scores are
 * noisy point by point still gives a steady signal, and a model whose scores are all on one scale for one key and
 * on another for the next is read against each key's own history.
 *
 * <p>The distribution is the mean and variance of the averages in the last {@value #BLOCKS} complete blocks of
 * {@value #BLOCK} averages (about 2,000 points), re-estimated when a block completes, with the variance held at
 * least {@value #VARIANCE_FLOOR} (a standard deviation of 0.017: a key whose scores never move does not call the
 * slightest blip a certainty). Until the first block is complete there is no distribution and the likelihood is
 * 0.5 ({@link #ready()} false). After a very unlikely average (below {@value #RED} in the tail), the next ones are
 * reported at most {@value #AFTER_RED} until the tail rises above {@value #RED} again: the average stays up for a
 * few points after one event, and one event should read as one. These are the defaults of NAB's numenta detector;
 * measured on NAB (docs/models.md, "Anomaly likelihood"), changing any of them gained nothing.
 *
 * <p>Constant memory (a few hundred bytes), no randomness, nothing allocated per score, deterministic: the sums
 * are recomputed from the kept values, never carried as running totals. Checkpointed as
 * {@link AnomalyLikelihoodState}.
 */
public final class AnomalyLikelihood {
    static final int SHORT_WINDOW = 10;
    static final int BLOCK = 100;
    static final int BLOCKS = 20;
    static final double VARIANCE_FLOOR = 0.0003;
    /** A tail this small is "red": rarer than 1 in 100,000. */
    static final double RED = 1e-5;
    /** What a red tail right after another red one is reported as: 1 in 1,000. */
    static final double AFTER_RED = 1 - 1e-3;

    private final boolean capRepeatedRed;
    final double[] recent = new double[SHORT_WINDOW];
    int recentCount;
    int recentNext;
    /** Sum and sum of squares of the averages in each complete block, a ring of {@link #BLOCKS}. */
    final double[] blockSum = new double[BLOCKS];
    final double[] blockSquares = new double[BLOCKS];
    int blocks;
    int blockNext;
    /** Sum and sum of squares of the averages in the open block, {@code inBlock} of them. */
    double sum;
    double squares;
    int inBlock;
    /** The fitted distribution: from the complete blocks ({@link #fit}). */
    private double mean;
    private double deviation;
    boolean previousRed;

    public AnomalyLikelihood() {
        this(true);
    }

    /**
     * @param capRepeatedRed false leaves out the cap after a red likelihood: only to measure what it does (the
     *                       benchmark's NAB section); the service always caps
     */
    public AnomalyLikelihood(boolean capRepeatedRed) {
        this.capRepeatedRed = capRepeatedRed;
    }

    /** The likelihood of the recent scores, {@code score} the newest; then counts it. NaN scores are skipped. */
    public double next(double score) {
        if (Double.isNaN(score)) {
            return Double.NaN;
        }
        double average = averageWith(score);
        recent[recentNext] = score;
        recentNext = (recentNext + 1) % SHORT_WINDOW;
        recentCount = Math.min(recentCount + 1, SHORT_WINDOW);
        double likelihood = 0.5;
        if (ready()) {
            double tail = tail(average);
            likelihood = likelihood(tail);
            previousRed = tail <= RED;
        }
        sum += average;
        squares += average * average;
        if (++inBlock == BLOCK) {
            completeBlock();
        }
        return likelihood;
    }

    /** What {@link #next} would return for {@code score}, without counting it. */
    public double peek(double score) {
        if (Double.isNaN(score)) {
            return Double.NaN;
        }
        return ready() ? likelihood(tail(averageWith(score))) : 0.5;
    }

    /** The average of the recent scores with {@code score} in the slot it will take, summed in slot order. */
    private double averageWith(double score) {
        int count = Math.min(recentCount + 1, SHORT_WINDOW);
        double total = 0;
        for (int i = 0; i < count; i++) {
            total += i == recentNext ? score : recent[i];
        }
        return total / count;
    }

    /** The share of the fitted distribution at or above {@code average}. */
    private double tail(double average) {
        return 0.5 * erfc((average - mean) / (deviation * Math.sqrt(2)));
    }

    private double likelihood(double tail) {
        return tail <= RED && previousRed && capRepeatedRed ? AFTER_RED : 1 - tail;
    }

    /** True once a distribution has been fitted: from the {@value #BLOCK}th score on. */
    public boolean ready() {
        return blocks > 0;
    }

    private void completeBlock() {
        blockSum[blockNext] = sum;
        blockSquares[blockNext] = squares;
        blockNext = (blockNext + 1) % BLOCKS;
        blocks = Math.min(blocks + 1, BLOCKS);
        sum = 0;
        squares = 0;
        inBlock = 0;
        fit();
    }

    /** Fits the distribution to the complete blocks (after a restore too: it is not kept in the state). */
    void fit() {
        if (blocks == 0) {
            mean = 0;
            deviation = 0;
            return;
        }
        double s = 0;
        double q = 0;
        for (int b = 0; b < blocks; b++) {
            s += blockSum[b];
            q += blockSquares[b];
        }
        double n = (double) blocks * BLOCK;
        mean = s / n;
        deviation = Math.sqrt(Math.max(q / n - mean * mean, VARIANCE_FLOOR));
    }

    public long sizeInBytes() {
        return Sizes.OBJECT + 64 + Sizes.of(recent) + Sizes.of(blockSum) + Sizes.of(blockSquares);
    }

    /**
     * The complementary error function, with a relative error below 1.2e-7 everywhere (Numerical Recipes, 2nd
     * ed., 6.2, {@code erfcc}): enough for tails down to the smallest a double can hold beside 1.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
