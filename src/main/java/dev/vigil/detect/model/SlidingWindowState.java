package dev.vigil.detect.model;

/**
 * What a {@link SlidingWindow} holds: its {@code size} points in slot order (slot {@code s} at
 * {@code [s * dimensions, + dimensions)}), and the slot the next point goes to. The values are at the window's
 * precision: {@code floats} for float32, {@code doubles} for float64, the other null; exactly
 * {@code size * dimensions} of them. The arrays are the state's own (the mapper copies them out of and into the
 * window), so nothing is shared with a live window.
 */
public record SlidingWindowState(int size, int next, float[] floats, double[] doubles) {
}
