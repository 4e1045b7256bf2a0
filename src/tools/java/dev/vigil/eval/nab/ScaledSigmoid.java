package dev.vigil.eval.nab;


/**
 * NAB's scaled sigmoid, 2 · logistic(-5x) - 1, flattened to -1 beyond x = 3: it turns a row's position relative to
 * a window into a value, so an early detection (x = -1, the window's first row) earns the most, one at the
 * window's end nearly nothing, and a false positive costs more the further it lies past the window.
 */
final class ScaledSigmoid {
    /** The value at a window's first row; row weights inside windows are divided by it so that row earns A_TP. */
    static final double AT_WINDOW_START = of(-1.0);

    private ScaledSigmoid() {
    }

    static double of(double x) {
        // NAB's cut-off is strict (x > 3), so x = 3 itself still takes the formula's value.
        if (x > 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * x)) - 1.0;
    }
}
