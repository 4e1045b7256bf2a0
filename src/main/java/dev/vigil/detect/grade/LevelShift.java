package dev.vigil.detect.grade;

import dev.vigil.detect.Sizes;
import java.util.Arrays;

/**
 * Whether a key's readings have left the level they have had: per feature, the average of the last
 * {@value #SHORT_WINDOW} readings against the lowest and the highest such average over the key's recent history
 * ({@value #BLOCKS} blocks of {@value #BLOCK} points, the newest complete block left out, so that a shift under way
 * does not widen the range it is judged against). A periodic, discrete-valued, constant or noisy series keeps its
 * averages within the range its history has shown; a shift of its level moves them out and keeps them out. It
 * looks at the readings only, so it says whether a rise of a model's scores comes from the data or from the model
 * ({@link SustainedRise}).
 *
 * <p>Memory: {@code (SHORT_WINDOW + 2 × BLOCKS + 6)} doubles per feature; nothing allocated per point, no
 * randomness. Not checkpointed: like the drift test it serves, it starts afresh after a restore.
 */
public final class LevelShift {
    static final int SHORT_WINDOW = 10;
    static final int BLOCK = 100;
    static final int BLOCKS = 20;

    private final int dimensions;
    /** The last readings, a ring of {@link #SHORT_WINDOW} points. */
    private final double[] recent;
    private int recentCount;
    private int recentNext;
    private final double[] average;
    /** Lowest and highest average per feature of each complete block, a ring of {@link #BLOCKS}. */
    private final double[] blockLow;
    private final double[] blockHigh;
    private int blocks;
    private int blockNext;
    /** The same for the open block, {@code inBlock} averages so far. */
    private final double[] openLow;
    private final double[] openHigh;
    private int inBlock;
    /** The range judged against: every complete block but the newest. */
    private final double[] rangeLow;
    private final double[] rangeHigh;

    public LevelShift(int dimensions) {
        this.dimensions = dimensions;
        recent = new double[SHORT_WINDOW * dimensions];
        average = new double[dimensions];
        blockLow = new double[BLOCKS * dimensions];
        blockHigh = new double[BLOCKS * dimensions];
        openLow = new double[dimensions];
        openHigh = new double[dimensions];
        rangeLow = new double[dimensions];
        rangeHigh = new double[dimensions];
    }

    /** Adds one point's readings; true when the average of a feature now lies outside its range. */
    public boolean add(double[] values) {
        System.arraycopy(values, 0, recent, recentNext * dimensions, dimensions);
        recentNext = (recentNext + 1) % SHORT_WINDOW;
        recentCount = Math.min(recentCount + 1, SHORT_WINDOW);
        Arrays.fill(average, 0);
        for (int r = 0; r < recentCount; r++) {
            for (int f = 0; f < dimensions; f++) {
                average[f] += recent[r * dimensions + f];
            }
        }
        boolean outside = false;
        for (int f = 0; f < dimensions; f++) {
            double a = average[f] / recentCount;
            outside |= blocks >= 2 && (a > rangeHigh[f] || a < rangeLow[f]);
            openLow[f] = inBlock == 0 ? a : Math.min(openLow[f], a);
            openHigh[f] = inBlock == 0 ? a : Math.max(openHigh[f], a);
        }
        if (++inBlock == BLOCK) {
            completeBlock();
        }
        return outside;
    }

    private void completeBlock() {
        System.arraycopy(openLow, 0, blockLow, blockNext * dimensions, dimensions);
        System.arraycopy(openHigh, 0, blockHigh, blockNext * dimensions, dimensions);
        int newest = blockNext;
        blockNext = (blockNext + 1) % BLOCKS;
        blocks = Math.min(blocks + 1, BLOCKS);
        inBlock = 0;
        Arrays.fill(rangeLow, Double.POSITIVE_INFINITY);
        Arrays.fill(rangeHigh, Double.NEGATIVE_INFINITY);
        for (int b = 0; b < blocks; b++) {
            if (b == newest) {
                continue;
            }
            for (int f = 0; f < dimensions; f++) {
                rangeLow[f] = Math.min(rangeLow[f], blockLow[b * dimensions + f]);
                rangeHigh[f] = Math.max(rangeHigh[f], blockHigh[b * dimensions + f]);
            }
        }
    }

    public long sizeInBytes() {
        return Sizes.OBJECT + 32 + Sizes.of(recent) + Sizes.of(average) + Sizes.of(blockLow) + Sizes.of(blockHigh)
                + Sizes.of(openLow) + Sizes.of(openHigh) + Sizes.of(rangeLow) + Sizes.of(rangeHigh);
    }
}
