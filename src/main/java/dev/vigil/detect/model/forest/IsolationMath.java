package dev.vigil.detect.model.forest;

/** Path-length normalisation of isolation trees (Liu, Ting and Zhou, "Isolation Forest", ICDM 2008). */
final class IsolationMath {
    private static final double EULER_GAMMA = 0.5772156649015329;

    private IsolationMath() {
    }

    /**
     * c(n): the average path length of an unsuccessful search in a binary search tree of n points, i.e. the
     * expected depth still needed to isolate one of n points that share a leaf. c(0) = c(1) = 0, c(2) = 1.
     */
    static double averagePathLength(int n) {
        if (n <= 1) {
            return 0.0;
        }
        if (n == 2) {
            return 1.0;
        }
        return 2.0 * harmonic(n - 1) - 2.0 * (n - 1) / n;
    }

    /** Exact harmonic number for small i (where the asymptotic series is poor), the series beyond. */
    private static double harmonic(int i) {
        if (i <= 64) {
            double h = 0;
            for (int k = 1; k <= i; k++) {
                h += 1.0 / k;
            }
            return h;
        }
        double inv = 1.0 / i;
        return Math.log(i) + EULER_GAMMA + 0.5 * inv - inv * inv / 12.0;
    }

    static int ceilLog2(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }
}
