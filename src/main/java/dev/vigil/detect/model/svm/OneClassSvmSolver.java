package dev.vigil.detect.model.svm;

import dev.vigil.detect.Sizes;
import dev.vigil.detect.model.SlidingWindow;

/**
 * Solves the dual of the nu one-class SVM (Schölkopf et al., "Estimating the Support of a High-Dimensional
 * Distribution", Neural Computation 2001) with SMO and maximal-violating-pair working sets (Fan, Chen and Lin,
 * JMLR 2005, first-order variant, as in LIBSVM):
 *
 * <pre>  minimise 1/2 a'Qa  subject to  0 &lt;= a_i &lt;= 1/(nu n),  sum a_i = 1,  Q_ij = K(x_i, x_j)</pre>
 *
 * The decision function is {@code f(x) = sum a_i K(x_i, x) - rho}: at least 0 inside the support, negative
 * outside. Kernel rows are computed when needed, not cached, so memory stays linear in n; n is at most
 * the training window (200 by default). The scratch arrays grow with the window (a training every few points at
 * most, never a point), so a model that has trained on 16 points holds arrays of 16.
 */
final class OneClassSvmSolver {
    private static final double TOLERANCE = 1e-3;
    private static final double TAU = 1e-12;

    private double[] alpha = new double[0];
    private double[] gradient = new double[0];
    private double[] rowI = new double[0];
    private double[] rowJ = new double[0];
    private double rho;

    double[] alpha() {
        return alpha;
    }

    double rho() {
        return rho;
    }

    /**
     * Trains on the first {@code n} points of {@code points}, starting from the usual feasible point: the first
     * ceil(nu n) multipliers at the bound. Nothing of a solve outlives it but {@link #alpha()} and {@link #rho()},
     * which the caller reads at once: the solver holds no state between trainings.
     */
    void solve(SlidingWindow points, int n, double nu, double gamma) {
        if (alpha.length < n) {
            // Nothing in them outlives a solve: new arrays, as large as the window's room for points.
            int size = Math.max(n, points.slots());
            alpha = new double[size];
            gradient = new double[size];
            rowI = new double[size];
            rowJ = new double[size];
        }
        double bound = Math.min(1.0, 1.0 / (nu * n));
        double remaining = 1.0;
        for (int i = 0; i < n; i++) {
            alpha[i] = Math.min(bound, remaining);
            remaining -= alpha[i];
        }
        for (int i = 0; i < n; i++) {
            gradient[i] = 0;
        }
        for (int i = 0; i < n; i++) {
            if (alpha[i] > 0) {
                kernelRow(points, i, n, gamma, rowI);
                for (int k = 0; k < n; k++) {
                    gradient[k] += alpha[i] * rowI[k];
                }
            }
        }
        int maxIterations = Math.max(10_000, 100 * n);
        for (int iteration = 0; iteration < maxIterations; iteration++) {
            int up = -1;
            int down = -1;
            double minGradient = Double.POSITIVE_INFINITY;
            double maxGradient = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                if (alpha[k] < bound && gradient[k] < minGradient) {
                    minGradient = gradient[k];
                    up = k;
                }
                if (alpha[k] > 0 && gradient[k] > maxGradient) {
                    maxGradient = gradient[k];
                    down = k;
                }
            }
            if (up < 0 || down < 0 || maxGradient - minGradient < TOLERANCE) {
                break;
            }
            kernelRow(points, up, n, gamma, rowI);
            kernelRow(points, down, n, gamma, rowJ);
            double curvature = Math.max(2.0 - 2.0 * rowI[down], TAU);
            double step = (maxGradient - minGradient) / curvature;
            step = Math.min(step, Math.min(bound - alpha[up], alpha[down]));
            alpha[up] += step;
            alpha[down] -= step;
            for (int k = 0; k < n; k++) {
                gradient[k] += step * (rowI[k] - rowJ[k]);
            }
        }
        rho = offset(n, bound);
    }

    /** rho: the mean gradient over free multipliers, or the middle of the feasible interval if none is free. */
    private double offset(int n, double bound) {
        double upper = Double.POSITIVE_INFINITY;
        double lower = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int free = 0;
        for (int k = 0; k < n; k++) {
            if (alpha[k] >= bound) {
                lower = Math.max(lower, gradient[k]);
            } else if (alpha[k] <= 0) {
                upper = Math.min(upper, gradient[k]);
            } else {
                sum += gradient[k];
                free++;
            }
        }
        if (free > 0) {
            return sum / free;
        }
        if (Double.isInfinite(upper)) {
            return lower;
        }
        return Double.isInfinite(lower) ? upper : (upper + lower) / 2;
    }

    private void kernelRow(SlidingWindow points, int i, int n, double gamma, double[] out) {
        for (int k = 0; k < n; k++) {
            out[k] = Math.exp(-gamma * points.squaredDistance(i, k));
        }
    }

    static double rbf(double[] a, int aOffset, double[] b, int bOffset, int dimensions, double gamma) {
        double sum = 0;
        for (int f = 0; f < dimensions; f++) {
            double diff = a[aOffset + f] - b[bOffset + f];
            sum += diff * diff;
        }
        return Math.exp(-gamma * sum);
    }

    long sizeInBytes() {
        return Sizes.OBJECT + Sizes.of(alpha) + Sizes.of(gradient) + Sizes.of(rowI) + Sizes.of(rowJ);
    }
}
