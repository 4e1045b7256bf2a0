package dev.vigil.detect;

/**
 * The last {@code capacity} points as one flat ring, {@code double[capacity * dimensions]}: no object per
 * point, and adding a point is one array copy. Slot {@code s} holds its point at
 * {@code data[s * dimensions ... + dimensions)}; while the window fills, the used slots are
 * {@code [0, size())}, afterwards every slot is used and the oldest is overwritten next.
 */
final class SlidingWindow {
    private final int capacity;
    private final int dimensions;
    private final double[] data;
    private int next;
    private int size;

    SlidingWindow(int capacity, int dimensions) {
        this.capacity = capacity;
        this.dimensions = dimensions;
        this.data = new double[Math.multiplyExact(capacity, dimensions)];
    }

    /** Copies {@code x} into the window, replacing the oldest point once full; returns the slot used. */
    int add(double[] x) {
        int slot = next;
        System.arraycopy(x, 0, data, slot * dimensions, dimensions);
        next = next + 1 == capacity ? 0 : next + 1;
        if (size < capacity) {
            size++;
        }
        return slot;
    }

    /** The backing array; slot {@code s} starts at {@code s * dimensions()}. */
    double[] data() {
        return data;
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    int dimensions() {
        return dimensions;
    }

    long sizeInBytes() {
        return Sizes.OBJECT + Sizes.of(data);
    }
}
