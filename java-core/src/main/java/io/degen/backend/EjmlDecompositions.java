package io.degen.backend;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/** Dense decompositions from EJML, for backends without LAPACK. */
final class EjmlDecompositions {
    private EjmlDecompositions() { }

    static Svd svd(int m, int n, double[] a) {
        checkFinite(a, "svd input");
        int k = Math.min(m, n);
        SingularValueDecomposition_F64<DMatrixRMaj> d = DecompositionFactory_DDRM.svd(m, n, true, true, true);
        if (!d.decompose(DMatrixRMaj.wrap(m, n, a.clone()))) throw new ArithmeticException("SVD did not converge");
        DMatrixRMaj u = d.getU(null, false), w = d.getW(null), vt = d.getV(null, true);
        double[] s = new double[k];
        for (int i = 0; i < k; i++) s[i] = w.get(i, i);
        // EJML does not sort; order descending and permute U, Vt alike.
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
        double[] us = new double[m * k], ss = new double[k], vts = new double[k * n];
        for (int c = 0; c < k; c++) {
            int src = order[c];
            ss[c] = s[src];
            for (int r = 0; r < m; r++) us[r * k + c] = u.get(r, src);
            for (int j = 0; j < n; j++) vts[c * n + j] = vt.get(src, j);
        }
        return new Svd(m, n, us, ss, vts);
    }

    static Eig eig(int n, double[] a, boolean vectors) {
        checkFinite(a, "eig input");
        EigenDecomposition_F64<DMatrixRMaj> d = DecompositionFactory_DDRM.eig(n, vectors, false);
        if (!d.decompose(DMatrixRMaj.wrap(n, n, a.clone()))) throw new ArithmeticException("eigendecomposition did not converge");
        double[] re = new double[n], im = new double[n];
        double[] vr = vectors ? new double[n * n] : null, vi = vectors ? new double[n * n] : null;
        for (int j = 0; j < n; j++) {
            Complex_F64 ev = d.getEigenvalue(j);
            re[j] = ev.real;
            im[j] = ev.imaginary;
        }
        if (vectors) {
            // EJML returns only real eigenvectors; complex ones (and their conjugates) are rebuilt by
            // solving (A - lambda I) v = 0 through the complex pair's real 2n system.
            for (int j = 0; j < n; j++) {
                DMatrixRMaj v = d.getEigenVector(j);
                if (v != null && im[j] == 0) {
                    for (int r = 0; r < n; r++) vr[r * n + j] = v.get(r, 0);
                } else {
                    double[][] cv = complexEigenvector(n, a, re[j], im[j]);
                    for (int r = 0; r < n; r++) { vr[r * n + j] = cv[0][r]; vi[r * n + j] = cv[1][r]; }
                }
            }
        }
        return new Eig(n, re, im, vr, vi);
    }

    /** Null vector of (A - lambda I) for complex lambda via inverse iteration on the real 2n form. */
    private static double[][] complexEigenvector(int n, double[] a, double lr, double li) {
        int N = 2 * n;
        DMatrixRMaj m = new DMatrixRMaj(N, N);
        double shift = 1e-10 * (1 + Math.hypot(lr, li));
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double v = a[r * n + c] - (r == c ? lr + shift : 0);
                m.set(r, c, v);
                m.set(r + n, c + n, v);
            }
            m.set(r, r + n, li);
            m.set(r + n, r, -li);
        }
        LinearSolverDense<DMatrixRMaj> sol = LinearSolverFactory_DDRM.lu(N);
        if (!sol.setA(m)) throw new ArithmeticException("eigenvector solve failed");
        DMatrixRMaj x = new DMatrixRMaj(N, 1), y = new DMatrixRMaj(N, 1);
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < N; i++) x.set(i, rnd.nextGaussian());
        for (int it = 0; it < 3; it++) {
            sol.solve(x, y);
            double nrm = CommonOps_DDRM.elementMaxAbs(y);
            CommonOps_DDRM.scale(1.0 / nrm, y, x);
        }
        double[] re = new double[n], im = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++) { re[i] = x.get(i); im[i] = x.get(i + n); norm += re[i] * re[i] + im[i] * im[i]; }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) { re[i] /= norm; im[i] /= norm; }
        return new double[][] {re, im};
    }

    static double[] lstsq(int m, int n, int nrhs, double[] a, double[] b) {
        checkFinite(a, "least-squares matrix");
        checkFinite(b, "least-squares right-hand side");
        if (m < n) throw new IllegalArgumentException("least squares needs rows >= cols, got " + m + " x " + n);
        LinearSolverDense<DMatrixRMaj> s = LinearSolverFactory_DDRM.leastSquares(m, n);
        if (!s.setA(DMatrixRMaj.wrap(m, n, a.clone()))) throw new ArithmeticException("least-squares factorisation failed");
        DMatrixRMaj x = new DMatrixRMaj(n, nrhs);
        s.solve(DMatrixRMaj.wrap(m, nrhs, b.clone()), x);
        return x.data;
    }

    /** The k largest pairs: {@link KrylovEig} when k is small against n, else (or if it does not converge) all n. */
    static SymmetricEig eigSymmetric(int n, double[] a, int k) {
        checkSymmetric(n, a, k, "eigSymmetric input");
        if (KrylovEig.worthIt(n, k)) {
            SymmetricEig partial = KrylovEig.largest(n, a, k);
            if (partial != null) return partial;
        }
        return fullEigSymmetric(n, a, k);
    }

    /** The k largest pairs from EJML's full decomposition. */
    static SymmetricEig fullEigSymmetric(int n, double[] a, int k) {
        EigenDecomposition_F64<DMatrixRMaj> d = DecompositionFactory_DDRM.eig(n, true, true);
        if (!d.decompose(DMatrixRMaj.wrap(n, n, a.clone()))) throw new ArithmeticException("symmetric eigendecomposition did not converge");
        Integer[] order = new Integer[n];
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) { order[i] = i; ev[i] = d.getEigenvalue(i).real; }
        // EJML does not sort; the first of equal eigenvalues keeps its place.
        java.util.Arrays.sort(order, (x, y) -> Double.compare(ev[y], ev[x]));
        double[] values = new double[k], vectors = new double[n * k];
        for (int c = 0; c < k; c++) {
            values[c] = ev[order[c]];
            DMatrixRMaj vec = d.getEigenVector(order[c]);
            if (vec == null) throw new ArithmeticException("symmetric eigendecomposition returned no vector for eigenvalue " + values[c]);
            for (int i = 0; i < n; i++) vectors[i * k + c] = vec.get(i, 0);
        }
        return new SymmetricEig(n, k, values, vectors);
    }

    /** Shape, 1 <= k <= n, finiteness and symmetry (to 1e-12 of the largest entry) of an eigSymmetric input. */
    static void checkSymmetric(int n, double[] a, int k, String what) {
        if (n < 1) throw new IllegalArgumentException(what + ": size must be >= 1, got " + n);
        if (a == null || a.length != (long) n * n) {
            throw new IllegalArgumentException(what + " must have " + n + " x " + n + " entries, got " + (a == null ? 0 : a.length));
        }
        if (k < 1 || k > n) throw new IllegalArgumentException(what + ": k must be in [1, " + n + "], got " + k);
        checkFinite(a, what);
        double max = 0;
        for (double x : a) max = Math.max(max, Math.abs(x));
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(a[i * n + j] - a[j * n + i]) > 1e-12 * max) {
                    throw new IllegalArgumentException(what + " is not symmetric: (" + i + ", " + j + ") = " + a[i * n + j]
                            + " but (" + j + ", " + i + ") = " + a[j * n + i]);
                }
            }
        }
    }

    static void checkFinite(double[] a, String what) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) throw new IllegalArgumentException(what + " contains " + a[i] + " at index " + i);
        }
    }
}
