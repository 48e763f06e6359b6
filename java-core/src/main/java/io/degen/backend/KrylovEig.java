package io.degen.backend;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The k largest eigenpairs of a symmetric n x n matrix G when k is much smaller than n: block
 * Krylov subspace iteration with full reorthogonalisation and Rayleigh-Ritz. The subspace
 * span{X, G X, G^2 X, ...} grows by a block of {@link #BLOCK} vectors at a time (X seeded, fixed);
 * each new block G X_j is orthogonalised twice against all earlier vectors (classical Gram-Schmidt
 * twice, as GEMMs), so the basis Q stays orthonormal to rounding. The projected matrix
 * T = Q^T G Q is kept as it grows, and its top k eigenpairs (theta_i, y_i) give the Ritz pairs
 * (theta_i, Q y_i). They are accepted when every residual |G Q y_i - theta_i Q y_i|, computed
 * from the stored products G Q rather than from a recurrence, is at most {@link #RESIDUAL_TOL}
 * |theta_1|; the eigenvector error is then at most that residual over the eigenvalue gap, as for
 * a dense solver. A block of 8 random vectors finds eigenvalues of multiplicity up to 8.
 *
 * <p>Why not a library: EJML has only the full decomposition (tridiagonalisation and QR, about
 * 0.4 s at n = 640, where this takes a few milliseconds); LAPACK's dsyevr is the {@code mkl}
 * engine's; no pure-Java partial solver is kept on Maven Central under a licence degen can use.
 */
final class KrylovEig {
    static final int BLOCK = 8;
    /** Ritz residuals accepted relative to the largest Ritz value. */
    static final double RESIDUAL_TOL = 1e-13;
    /** Below this size, or when k is not small against n, the full decomposition is as cheap. */
    static final int MIN_N = 96;

    private KrylovEig() { }

    /** Whether the Krylov route is worth trying for the k largest pairs of an n x n matrix. */
    static boolean worthIt(int n, int k) { return n >= MIN_N && 3 * k + 4 * BLOCK <= n; }

    /**
     * The k largest eigenpairs (values descending, vectors as the columns of an n x k row-major
     * array), or null if the residuals did not fall below the tolerance before the subspace
     * reached its limit (the caller then decomposes fully). The input is assumed checked.
     */
    static SymmetricEig largest(int n, double[] g, int k) {
        int maxDim = Math.min(n, 8 * k + 8 * BLOCK);
        maxDim -= maxDim % BLOCK;
        int ld = maxDim;
        double[] q = new double[n * ld], gq = new double[n * ld], t = new double[maxDim * maxDim];
        double[] w = new double[n * BLOCK], h = new double[maxDim * BLOCK];
        SplittableRandom rnd = new SplittableRandom(0x6b72796c6f76L);
        for (int i = 0; i < n * BLOCK; i++) w[i] = rnd.nextDouble() - 0.5;
        int m = 0;
        while (m + BLOCK <= maxDim) {
            if (!orthonormalise(n, q, ld, m, w, h, rnd)) return null;
            for (int i = 0; i < n; i++) System.arraycopy(w, i * BLOCK, q, i * ld + m, BLOCK);
            // G X for the new block, into the matching columns of GQ
            VectorGemm.dgemm(n, BLOCK, n, 1.0, g, 0, n, 1, q, m, ld, 1, gq, m, ld, true);
            extendProjection(n, q, gq, ld, m, t, maxDim);
            m += BLOCK;
            if (m >= Math.max(k + BLOCK, 3 * k) && ((m - BLOCK) % (2 * BLOCK) == 0 || m + BLOCK > maxDim)) {
                SymmetricEig ritz = ritz(n, q, gq, ld, m, t, maxDim, k);
                if (ritz != null) return ritz;
            }
            for (int i = 0; i < n; i++) System.arraycopy(gq, i * ld + m - BLOCK, w, i * BLOCK, BLOCK);
        }
        return null;
    }

    /**
     * Makes the n x BLOCK block w orthonormal and orthogonal to the first m columns of q, twice;
     * a column that vanishes (the subspace is invariant) is replaced by a random one. False if even
     * random columns cannot be made independent (cannot happen while m + BLOCK <= n).
     */
    private static boolean orthonormalise(int n, double[] q, int ld, int m, double[] w, double[] h, SplittableRandom rnd) {
        for (int attempt = 0; attempt < 3; attempt++) {
            for (int pass = 0; pass < 2; pass++) {
                if (m == 0) break;
                // h = Q_m^T w ; w -= Q_m h
                VectorGemm.dgemm(m, BLOCK, n, 1.0, q, 0, 1, ld, w, 0, BLOCK, 1, h, 0, BLOCK, true);
                VectorGemm.dgemm(n, BLOCK, m, -1.0, q, 0, ld, 1, h, 0, BLOCK, 1, w, 0, BLOCK, false);
            }
            boolean redo = false;
            for (int c = 0; c < BLOCK; c++) {
                double before = columnNorm(n, w, c);
                for (int pass = 0; pass < 2; pass++) {
                    for (int e = 0; e < c; e++) {
                        double dot = 0;
                        for (int i = 0; i < n; i++) dot += w[i * BLOCK + e] * w[i * BLOCK + c];
                        for (int i = 0; i < n; i++) w[i * BLOCK + c] -= dot * w[i * BLOCK + e];
                    }
                }
                double after = columnNorm(n, w, c);
                if (!(after > 1e-8 * before) || !(after > 0)) {
                    for (int i = 0; i < n; i++) w[i * BLOCK + c] = rnd.nextDouble() - 0.5;
                    redo = true;
                    continue;
                }
                for (int i = 0; i < n; i++) w[i * BLOCK + c] /= after;
            }
            if (!redo) return true;
        }
        return false;
    }

    private static double columnNorm(int n, double[] w, int c) {
        double s = 0;
        for (int i = 0; i < n; i++) s += w[i * BLOCK + c] * w[i * BLOCK + c];
        return Math.sqrt(s);
    }

    /** Adds the new block's rows and columns to T = Q^T G Q (symmetrised: the new columns mirrored). */
    private static void extendProjection(int n, double[] q, double[] gq, int ld, int m, double[] t, int tl) {
        int rows = m + BLOCK;
        double[] col = new double[rows * BLOCK];
        VectorGemm.dgemm(rows, BLOCK, n, 1.0, q, 0, 1, ld, gq, m, ld, 1, col, 0, BLOCK, true);
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < BLOCK; c++) {
                double v = col[r * BLOCK + c];
                t[r * tl + m + c] = v;
                t[(m + c) * tl + r] = v;
            }
        }
        // the diagonal block: symmetrise explicitly from the computed values
        for (int a = 0; a < BLOCK; a++) {
            for (int b = a; b < BLOCK; b++) {
                double v = 0.5 * (col[(m + a) * BLOCK + b] + col[(m + b) * BLOCK + a]);
                t[(m + a) * tl + m + b] = v;
                t[(m + b) * tl + m + a] = v;
            }
        }
    }

    /** Ritz pairs of the first m columns, or null if any of the top k residuals is above tolerance. */
    private static SymmetricEig ritz(int n, double[] q, double[] gq, int ld, int m, double[] t, int tl, int k) {
        DMatrixRMaj tm = new DMatrixRMaj(m, m);
        for (int i = 0; i < m; i++) System.arraycopy(t, i * tl, tm.data, i * m, m);
        EigenDecomposition_F64<DMatrixRMaj> d = DecompositionFactory_DDRM.eig(m, true, true);
        if (!d.decompose(tm)) return null;
        Integer[] order = new Integer[m];
        double[] ev = new double[m];
        for (int i = 0; i < m; i++) { order[i] = i; ev[i] = d.getEigenvalue(i).real; }
        Arrays.sort(order, (x, y) -> Double.compare(ev[y], ev[x]));
        double[] y = new double[m * k], values = new double[k];
        for (int c = 0; c < k; c++) {
            values[c] = ev[order[c]];
            DMatrixRMaj v = d.getEigenVector(order[c]);
            if (v == null) return null;
            for (int i = 0; i < m; i++) y[i * k + c] = v.get(i, 0);
        }
        double[] u = new double[n * k], gu = new double[n * k];
        VectorGemm.dgemm(n, k, m, 1.0, q, 0, ld, 1, y, 0, k, 1, u, 0, k, true);
        VectorGemm.dgemm(n, k, m, 1.0, gq, 0, ld, 1, y, 0, k, 1, gu, 0, k, true);
        double limit = RESIDUAL_TOL * Math.abs(values[0]);
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int i = 0; i < n; i++) { double r = gu[i * k + c] - values[c] * u[i * k + c]; s += r * r; }
            if (!(Math.sqrt(s) <= limit)) return null;
        }
        return new SymmetricEig(n, k, values, u);
    }
}
