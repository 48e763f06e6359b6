package io.degen.metrics.similarity;

import io.degen.util.Mat;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;

/**
 * Classical (Torgerson) multidimensional scaling: embeds n items in {@code dims} dimensions so that
 * Euclidean distances between the points approximate a given distance matrix D.
 *
 * <pre>  B = -1/2 J D^(2) J,   J = I - 11^T / n,   X = V_d diag(sqrt(max(lambda_d, 0)))</pre>
 *
 * where D^(2) squares D entry-wise and (lambda_d, V_d) are the d largest eigenpairs of the
 * symmetric matrix B (EJML's symmetric eigensolver). If D is Euclidean in d dimensions the
 * embedding reproduces it exactly, up to rotation, reflection and translation (the points are
 * centered). Each axis is signed so its largest-magnitude coordinate is positive, for
 * reproducible plots.
 */
public final class ClassicalMds {
    private ClassicalMds() { }

    /**
     * @param coordinates n x dims, row i = item i
     * @param eigenvalues all n eigenvalues of B, descending (negative ones signal non-Euclidean D)
     */
    public record Result(Mat coordinates, double[] eigenvalues) {
        public Result {
            eigenvalues = eigenvalues.clone();
        }

        @Override public double[] eigenvalues() { return eigenvalues.clone(); }
    }

    /** The 2-D embedding used for plots; a single item sits at the origin. */
    public static Mat embed2d(double[][] distances) {
        int n = validate(distances);
        if (n >= 2) return fit(distances, 2).coordinates();
        return Mat.zeros(n, 2);
    }

    public static Result fit(double[][] distances, int dims) {
        int n = validate(distances);
        if (dims < 1 || dims > n) throw new IllegalArgumentException("MDS dimensions must be in [1, " + n + "], got " + dims);
        double[] b = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { double d = distances[i][j]; b[i * n + j] = -0.5 * d * d; }
        // Double centering: subtract row and column means, add back the grand mean.
        double[] rowMean = new double[n];
        double grand = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) s += b[i * n + j];
            rowMean[i] = s / n;
            grand += s;
        }
        grand /= (double) n * n;
        // B is symmetric, so column means equal row means.
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) b[i * n + j] += grand - rowMean[i] - rowMean[j];
        // Symmetrise exactly so the symmetric solver sees a symmetric matrix.
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) { double m = 0.5 * (b[i * n + j] + b[j * n + i]); b[i * n + j] = m; b[j * n + i] = m; }

        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(DMatrixRMaj.wrap(n, n, b))) throw new ArithmeticException("MDS eigendecomposition did not converge");
        Integer[] order = new Integer[n];
        double[] values = new double[n];
        for (int j = 0; j < n; j++) { order[j] = j; values[j] = eig.getEigenvalue(j).real; }
        Arrays.sort(order, (p, q) -> Double.compare(values[q], values[p]));
        double[] sorted = new double[n];
        for (int j = 0; j < n; j++) sorted[j] = values[order[j]];

        double[] coords = new double[n * dims];
        for (int c = 0; c < dims; c++) {
            DMatrixRMaj v = eig.getEigenVector(order[c]);
            double scale = Math.sqrt(Math.max(0.0, sorted[c]));
            double norm = 0, big = 0;
            for (int i = 0; i < n; i++) {
                double x = v.get(i, 0);
                norm += x * x;
                if (Math.abs(x) > Math.abs(big)) big = x;
            }
            norm = Math.sqrt(norm);
            double f = norm == 0 ? 0 : (big < 0 ? -1 : 1) * scale / norm;
            for (int i = 0; i < n; i++) coords[i * dims + c] = f * v.get(i, 0);
        }
        return new Result(new Mat(n, dims, coords), sorted);
    }

    private static int validate(double[][] d) {
        if (d == null || d.length == 0) throw new IllegalArgumentException("distance matrix is empty");
        int n = d.length;
        double max = 0;
        for (int i = 0; i < n; i++) {
            if (d[i] == null || d[i].length != n) {
                throw new IllegalArgumentException("distance matrix must be square: row " + i + " has "
                        + (d[i] == null ? 0 : d[i].length) + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                double x = d[i][j];
                if (!Double.isFinite(x)) throw new IllegalArgumentException("distance (" + i + ", " + j + ") is " + x);
                if (x < 0) throw new IllegalArgumentException("distance (" + i + ", " + j + ") is negative: " + x);
                max = Math.max(max, x);
            }
        }
        double tol = 1e-9 * Math.max(1.0, max);
        for (int i = 0; i < n; i++) {
            if (Math.abs(d[i][i]) > tol) throw new IllegalArgumentException("distance (" + i + ", " + i + ") must be 0, got " + d[i][i]);
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(d[i][j] - d[j][i]) > tol) {
                    throw new IllegalArgumentException("distance matrix is not symmetric: (" + i + ", " + j + ") = " + d[i][j]
                            + " but (" + j + ", " + i + ") = " + d[j][i]);
                }
            }
        }
        return n;
    }
}
