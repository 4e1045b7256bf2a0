package dev.vigil.detect.transform;

import dev.vigil.detect.Checks;
import dev.vigil.detect.Sizes;
import dev.vigil.detect.Transform;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Incremental PCA ({@code pca}): projects points on the top {@code n_components} principal directions of
 * everything learned so far.
 *
 * <p><b>Algorithm.</b> Ross, Lim, Lin and Yang, "Incremental Learning for Robust Visual Tracking" (IJCV 2008),
 * the mini-batch update scikit-learn's IncrementalPCA uses: points are buffered; a full batch is merged by one
 * singular value decomposition (commons-math3) of the stacked matrix {@code [diag(S) V ; batch - batch mean ;
 * mean correction]}, which has {@code n_components + batch_size + 1} rows whatever the stream length. Memory is
 * {@code O((n_components + batch_size) * d)}, never {@code d x d}, so wide points stay affordable. Component
 * signs are aligned with the previous fit, so the downstream model does not see its axes flip.
 *
 * <p>Until the first fit (after {@code max(n_components + 1, 2)} points) the output is all zeros; later fits
 * happen every {@code batch_size} points. {@code n_components} above the input dimension is capped to it (with a
 * warning logged once per dimension). Allocation happens once per batch (the SVD), not per point.
 *
 * <p><b>Attribution back.</b> A component is a weighted sum of the centred input features, so its share of an
 * explanation goes back to the inputs in proportion to their absolute loadings {@code |v_cf|} on it (normalised
 * per component). That says which inputs a component is made of, not which of them moved in this point: the
 * transform keeps no point to tell. A component not yet fitted (all zeros before the first fit) passes its
 * share to every input equally.
 *
 * <p><b>Checkpoint.</b> {@link IncrementalPcaState}: the buffered part of the batch, the mean, the fitted components
 * with their singular values, and the count of points fitted.
 */
public final class IncrementalPca implements Transform {
    public static final int DEFAULT_N_COMPONENTS = 10;
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final int dimensions;
    final int components;
    final int batchSize;
    final double[] batch;
    int buffered;
    private final int firstFit;

    final double[] mean;
    /** Row-major, {@code components x dimensions}; row i is the i-th principal direction. */
    final double[] basis;
    final double[] singularValues;
    int fittedComponents;
    long seen;

    private final double[] out;

    private IncrementalPca(Builder b, int dimensions) {
        this.dimensions = dimensions;
        this.components = Math.min(b.nComponents, dimensions);
        this.batchSize = b.batchSize;
        this.batch = new double[b.batchSize * dimensions];
        this.firstFit = Math.min(Math.max(components + 1, 2), b.batchSize);
        this.mean = new double[dimensions];
        this.basis = new double[components * dimensions];
        this.singularValues = new double[components];
        this.out = new double[components];
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int inputDimensions() {
        return dimensions;
    }

    @Override
    public int outputDimensions() {
        return components;
    }

    @Override
    public double[] transform(double[] x) {
        for (int c = 0; c < components; c++) {
            double sum = 0;
            if (c < fittedComponents) {
                int row = c * dimensions;
                for (int f = 0; f < dimensions; f++) {
                    sum += (x[f] - mean[f]) * basis[row + f];
                }
            }
            out[c] = sum;
        }
        return out;
    }

    @Override
    public double[] learnTransform(double[] x) {
        System.arraycopy(x, 0, batch, buffered * dimensions, dimensions);
        buffered++;
        if (buffered == (seen == 0 ? firstFit : batchSize)) {
            fitBatch();
        }
        return transform(x);
    }

    @Override
    public double[] attributeBack(double[] outputAttribution) {
        double[] in = new double[dimensions];
        for (int c = 0; c < components; c++) {
            double share = outputAttribution[c];
            if (!(share > 0)) {
                continue;
            }
            int row = c * dimensions;
            double loadings = 0;
            for (int f = 0; c < fittedComponents && f < dimensions; f++) {
                loadings += Math.abs(basis[row + f]);
            }
            for (int f = 0; f < dimensions; f++) {
                in[f] += loadings > 0 ? share * Math.abs(basis[row + f]) / loadings : share / dimensions;
            }
        }
        return in;
    }

    private void fitBatch() {
        int m = buffered;
        double[] batchMean = new double[dimensions];
        for (int i = 0; i < m; i++) {
            for (int f = 0; f < dimensions; f++) {
                batchMean[f] += batch[i * dimensions + f] / m;
            }
        }
        int rows = fittedComponents + m + (seen > 0 ? 1 : 0);
        double[][] stacked = new double[rows][];
        int r = 0;
        for (int c = 0; c < fittedComponents; c++) {
            double[] row = new double[dimensions];
            for (int f = 0; f < dimensions; f++) {
                row[f] = singularValues[c] * basis[c * dimensions + f];
            }
            stacked[r++] = row;
        }
        for (int i = 0; i < m; i++) {
            double[] row = new double[dimensions];
            for (int f = 0; f < dimensions; f++) {
                row[f] = batch[i * dimensions + f] - batchMean[f];
            }
            stacked[r++] = row;
        }
        long total = seen + m;
        if (seen > 0) {
            double weight = Math.sqrt((double) seen * m / total);
            double[] row = new double[dimensions];
            for (int f = 0; f < dimensions; f++) {
                row[f] = weight * (mean[f] - batchMean[f]);
            }
            stacked[r] = row;
        }
        for (int f = 0; f < dimensions; f++) {
            mean[f] += (batchMean[f] - mean[f]) * m / total;
        }
        seen = total;
        buffered = 0;

        SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(stacked, false));
        RealMatrix v = svd.getV();
        double[] s = svd.getSingularValues();
        int kept = Math.min(components, s.length);
        for (int c = 0; c < kept; c++) {
            double alignment = 0;
            for (int f = 0; f < dimensions; f++) {
                alignment += v.getEntry(f, c) * (c < fittedComponents ? basis[c * dimensions + f] : 1.0);
            }
            double sign = alignment < 0 ? -1.0 : 1.0;
            for (int f = 0; f < dimensions; f++) {
                basis[c * dimensions + f] = sign * v.getEntry(f, c);
            }
            singularValues[c] = s[c];
        }
        fittedComponents = kept;
    }

    @Override
    public long sizeInBytes() {
        return Sizes.OBJECT + Sizes.of(batch) + Sizes.of(mean) + Sizes.of(basis) + Sizes.of(singularValues)
                + Sizes.of(out);
    }

    /** Settings; {@link #build()} checks each and names the one that is wrong. */
    public static final class Builder {
        private int nComponents = DEFAULT_N_COMPONENTS;
        private int batchSize = DEFAULT_BATCH_SIZE;

        public Builder nComponents(int nComponents) {
            this.nComponents = nComponents;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public int nComponents() {
            return nComponents;
        }

        /** Every setting, canonical ({@code name=value} by name); {@code n_components} as configured. */
        public String settings() {
            return "batch_size=" + batchSize + ",n_components=" + nComponents;
        }

        public void validate() {
            Checks.range("n_components", nComponents, 1, Checks.MAX_DIMENSIONS);
            Checks.range("batch_size", batchSize, 2, 100_000);
        }

        /** A new model for points of {@code dimensions} features; the builder can be reused. */
        public IncrementalPca build(int dimensions) {
            Checks.range("dimensions", dimensions, 1, Checks.MAX_DIMENSIONS);
            validate();
            return new IncrementalPca(this, dimensions);
        }
    }
}
