package io.degen.metrics.dsa;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Allocation-free kernels on small square row-major matrices (the r x r operators), vectorised
 * over a row with the JDK Vector API. The species is the preferred one, as everywhere else in degen:
 * code that mixes species (this class once used 256-bit vectors on AVX-512 machines, where the engines
 * use 512) makes the Vector API's shared call sites polymorphic, and C2 then boxes every vector: the
 * DSA pair alignments ran 4x slower after a {@code java}-engine fit than after an {@code mkl} one.
 */
final class SmallMat {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SmallMat() { }

    /** out = x y. out must not alias x or y. */
    static void mul(int n, double[] x, double[] y, double[] out) {
        int i = 0;
        if (n >= L) for (; i + ROWS <= n; i += ROWS) rowsTimes(n, x, i * n, n, 1, y, out, i * n);
        for (; i < n; i++) rowTimes(n, x, i * n, 1, n, y, out, i * n);
    }

    /** out = x^T y. out must not alias x or y. */
    static void mulTN(int n, double[] x, double[] y, double[] out) {
        int i = 0;
        if (n >= L) for (; i + ROWS <= n; i += ROWS) rowsTimes(n, x, i, 1, n, y, out, i * n);
        for (; i < n; i++) rowTimes(n, x, i, n, n, y, out, i * n);
    }

    /** Rows of a product computed together by {@link #rowsTimes}. */
    private static final int ROWS = 4;

    /**
     * out[o .. o+n) = sum_{k < kEnd} x[xOff + k xStride] * row k of y: one row of a product with
     * its columns in vectors held in registers across the k loop. A width that is not a multiple of
     * the lane count (20 on 8 lanes) ends with one full vector that overlaps the previous one
     * (columns 12..19), written twice with the same values: masked loads are not compiled to
     * vector instructions on JDK 17, and a scalar tail would cost as much as the vectors.
     */
    private static void rowTimes(int n, double[] x, int xOff, int xStride, int kEnd, double[] y, double[] out, int o) {
        if (n < L) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int k = 0; k < kEnd; k++) acc += x[xOff + k * xStride] * y[k * n + j];
                out[o + j] = acc;
            }
            return;
        }
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
            for (int k = 0, yk = j; k < kEnd; k++, yk += n) {
                DoubleVector b = DoubleVector.broadcast(S, x[xOff + k * xStride]);
                a0 = DoubleVector.fromArray(S, y, yk).fma(b, a0);
                a1 = DoubleVector.fromArray(S, y, yk + L).fma(b, a1);
            }
            a0.intoArray(out, o + j);
            a1.intoArray(out, o + j + L);
        }
        for (; j < n; j += L) {
            int jj = Math.min(j, n - L);
            DoubleVector a0 = DoubleVector.zero(S);
            for (int k = 0, yk = jj; k < kEnd; k++, yk += n) {
                a0 = DoubleVector.fromArray(S, y, yk).fma(DoubleVector.broadcast(S, x[xOff + k * xStride]), a0);
            }
            a0.intoArray(out, o + jj);
        }
    }

    /**
     * {@link #rowTimes} for {@link #ROWS} consecutive output rows (n >= L, k over all n): row r takes
     * its coefficients from x[xOff + r rowStep + k xStride] and is written at o + r n. Every output
     * entry is accumulated exactly as in rowTimes (fused multiply-adds in k order from zero), so the
     * result is the same to the bit; the point is that one FMA chain per vector register is bound by
     * the FMA latency (four cycles), while four rows give the core four to eight independent chains.
     */
    private static void rowsTimes(int n, double[] x, int xOff, int rowStep, int xStride, double[] y, double[] out, int o) {
        final int x0 = xOff, x1 = xOff + rowStep, x2 = xOff + 2 * rowStep, x3 = xOff + 3 * rowStep;
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            DoubleVector a00 = DoubleVector.zero(S), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
            for (int k = 0, yk = j, xk = 0; k < n; k++, yk += n, xk += xStride) {
                DoubleVector y0 = DoubleVector.fromArray(S, y, yk), y1 = DoubleVector.fromArray(S, y, yk + L);
                DoubleVector b0 = DoubleVector.broadcast(S, x[x0 + xk]), b1 = DoubleVector.broadcast(S, x[x1 + xk]);
                DoubleVector b2 = DoubleVector.broadcast(S, x[x2 + xk]), b3 = DoubleVector.broadcast(S, x[x3 + xk]);
                a00 = y0.fma(b0, a00);
                a01 = y1.fma(b0, a01);
                a10 = y0.fma(b1, a10);
                a11 = y1.fma(b1, a11);
                a20 = y0.fma(b2, a20);
                a21 = y1.fma(b2, a21);
                a30 = y0.fma(b3, a30);
                a31 = y1.fma(b3, a31);
            }
            a00.intoArray(out, o + j);
            a01.intoArray(out, o + j + L);
            a10.intoArray(out, o + n + j);
            a11.intoArray(out, o + n + j + L);
            a20.intoArray(out, o + 2 * n + j);
            a21.intoArray(out, o + 2 * n + j + L);
            a30.intoArray(out, o + 3 * n + j);
            a31.intoArray(out, o + 3 * n + j + L);
        }
        for (; j < n; j += L) {
            int jj = Math.min(j, n - L);
            DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int k = 0, yk = jj, xk = 0; k < n; k++, yk += n, xk += xStride) {
                DoubleVector yv = DoubleVector.fromArray(S, y, yk);
                a0 = yv.fma(DoubleVector.broadcast(S, x[x0 + xk]), a0);
                a1 = yv.fma(DoubleVector.broadcast(S, x[x1 + xk]), a1);
                a2 = yv.fma(DoubleVector.broadcast(S, x[x2 + xk]), a2);
                a3 = yv.fma(DoubleVector.broadcast(S, x[x3 + xk]), a3);
            }
            a0.intoArray(out, o + jj);
            a1.intoArray(out, o + n + jj);
            a2.intoArray(out, o + 2 * n + jj);
            a3.intoArray(out, o + 3 * n + jj);
        }
    }

    /**
     * Solves F Y = R for an n x n matrix factored without pivoting into the unit lower factor
     * {@code lower} (strictly below its diagonal) and the upper factor {@code upper} (on and above
     * it); R's n columns are the right-hand sides. The solution replaces R; {@code work} holds the
     * forward substitution's result. Each row is computed once from the finished rows with its
     * columns in registers (as in {@link #rowTimes}, whose overlapping last vector is why each
     * substitution writes to the other array).
     */
    static void luSolveRows(int n, double[] lower, double[] upper, double[] r, double[] work) {
        for (int i = 0; i < n; i++) combine(n, r, i * n, lower, i * n, 0, i, work, 1.0);
        for (int i = n - 1; i >= 0; i--) combine(n, work, i * n, upper, i * n, i + 1, n, r, 1 / upper[i * n + i]);
    }

    /**
     * Row {@code iRow} of m minus l times row {@code kRow}, over all n columns, each entry rounded as
     * the scalar {@code m_ij -= l * m_kj} rounds it (a product, then a difference: no fused
     * multiply-add). The overlapping last vector of a width that is not a multiple of the lanes is
     * computed before any store, so its columns are updated once.
     */
    static void subScaledRow(int n, double[] m, int iRow, int kRow, double l) {
        if (n < L) {
            for (int j = 0; j < n; j++) m[iRow + j] -= l * m[kRow + j];
            return;
        }
        DoubleVector lv = DoubleVector.broadcast(S, l);
        int up = S.loopBound(n);
        DoubleVector tail = up < n
                ? DoubleVector.fromArray(S, m, iRow + n - L).sub(DoubleVector.fromArray(S, m, kRow + n - L).mul(lv)) : null;
        for (int j = 0; j < up; j += L) {
            DoubleVector.fromArray(S, m, iRow + j).sub(DoubleVector.fromArray(S, m, kRow + j).mul(lv)).intoArray(m, iRow + j);
        }
        if (tail != null) tail.intoArray(m, iRow + n - L);
    }

    /** dst row o = scale * (src row o - sum_{k0 <= k < k1} f[fRow + k] * dst row k). */
    private static void combine(int n, double[] src, int o, double[] f, int fRow, int k0, int k1, double[] dst, double scale) {
        if (n < L) {
            for (int j = 0; j < n; j++) {
                double acc = src[o + j];
                for (int k = k0; k < k1; k++) acc -= f[fRow + k] * dst[k * n + j];
                dst[o + j] = scale * acc;
            }
            return;
        }
        for (int j = 0; j < n; j += L) {
            int jj = Math.min(j, n - L);
            DoubleVector acc = DoubleVector.fromArray(S, src, o + jj);
            for (int k = k0, dk = k0 * n + jj; k < k1; k++, dk += n) {
                acc = DoubleVector.fromArray(S, dst, dk).fma(DoubleVector.broadcast(S, -f[fRow + k]), acc);
            }
            acc.mul(scale).intoArray(dst, o + jj);
        }
    }

    /** out = x y^T (through a transposed copy of y in {@code work}). */
    static void mulNT(int n, double[] x, double[] y, double[] out, double[] work) {
        transposeInto(n, y, work);
        mul(n, x, work, out);
    }

    static void transposeInto(int n, double[] x, double[] out) {
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) out[j * n + i] = x[i * n + j];
    }

    static double[] transpose(int n, double[] x) {
        double[] t = new double[n * n];
        transposeInto(n, x, t);
        return t;
    }

    static double dot(int len, double[] x, double[] y) {
        int i = 0, up = S.loopBound(len);
        double s = 0;
        if (up > 0) {
            DoubleVector acc = DoubleVector.zero(S);
            for (; i < up; i += L) acc = DoubleVector.fromArray(S, x, i).fma(DoubleVector.fromArray(S, y, i), acc);
            s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        }
        for (; i < len; i++) s += x[i] * y[i];
        return s;
    }

    /** y[yOff .. yOff+len) += alpha * x[xOff .. xOff+len). */
    static void axpy(int len, double alpha, double[] x, int xOff, double[] y, int yOff) {
        int i = 0, up = S.loopBound(len);
        if (up > 0) {
            DoubleVector av = DoubleVector.broadcast(S, alpha);
            for (; i < up; i += L) {
                DoubleVector.fromArray(S, x, xOff + i).fma(av, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
            }
        }
        for (; i < len; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    /** sum_{k < len} x[xOff + k] y[yOff + k]. */
    static double dot(int len, double[] x, int xOff, double[] y, int yOff) {
        int i = 0, up = S.loopBound(len);
        double s = 0;
        if (up > 0) {
            DoubleVector acc = DoubleVector.zero(S);
            for (; i < up; i += L) acc = DoubleVector.fromArray(S, x, xOff + i).fma(DoubleVector.fromArray(S, y, yOff + i), acc);
            s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        }
        for (; i < len; i++) s += x[xOff + i] * y[yOff + i];
        return s;
    }

    /**
     * Cholesky factor of (a + shift I) for a symmetric d x d row-major a: the lower triangle of
     * {@code l} (row-major, rows contiguous, so each entry is one vector dot product of two rows)
     * with L L^T = a + shift I. Returns false if the matrix is not numerically positive definite.
     * This is the Newton system of the DSA alignment (d = r (r - 1) / 2 = 190 at rank 20), where
     * EJML's scalar factorisation was the largest part of a Newton step.
     */
    static boolean cholesky(int d, double[] a, double shift, double[] l) {
        int i0 = 0;
        // Four rows at a time: their entries left of the block are four independent dot products
        // with the same finished row j, each computed exactly as dot() computes it (same lanes,
        // same reduction, same scalar tail), so the factor is the same to the bit; one row's chain
        // of dependent dot products alone ran at the latency of the FMAs and the divisions.
        for (; i0 + 4 <= d; i0 += 4) {
            final int r0 = i0 * d, r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
            for (int j = 0; j < i0; j++) {
                final int rj = j * d, up = S.loopBound(j);
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int k = 0;
                if (up > 0) {
                    DoubleVector c0 = DoubleVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
                    for (; k < up; k += L) {
                        DoubleVector y = DoubleVector.fromArray(S, l, rj + k);
                        c0 = DoubleVector.fromArray(S, l, r0 + k).fma(y, c0);
                        c1 = DoubleVector.fromArray(S, l, r1 + k).fma(y, c1);
                        c2 = DoubleVector.fromArray(S, l, r2 + k).fma(y, c2);
                        c3 = DoubleVector.fromArray(S, l, r3 + k).fma(y, c3);
                    }
                    s0 = c0.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                    s1 = c1.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                    s2 = c2.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                    s3 = c3.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                }
                for (; k < j; k++) {
                    double y = l[rj + k];
                    s0 += l[r0 + k] * y;
                    s1 += l[r1 + k] * y;
                    s2 += l[r2 + k] * y;
                    s3 += l[r3 + k] * y;
                }
                double p = l[rj + j];
                l[r0 + j] = (a[r0 + j] - s0) / p;
                l[r1 + j] = (a[r1 + j] - s1) / p;
                l[r2 + j] = (a[r2 + j] - s2) / p;
                l[r3 + j] = (a[r3 + j] - s3) / p;
            }
            for (int i = i0; i < i0 + 4; i++) if (!finishRow(d, a, shift, l, i, i0)) return false;
        }
        for (int i = i0; i < d; i++) if (!finishRow(d, a, shift, l, i, 0)) return false;
        return true;
    }

    /** Entries from0 .. i-1 and the diagonal of row i of the Cholesky factor; false if not positive definite. */
    private static boolean finishRow(int d, double[] a, double shift, double[] l, int i, int from0) {
        int ri = i * d;
        for (int j = from0; j < i; j++) {
            int rj = j * d;
            l[ri + j] = (a[ri + j] - dot(j, l, ri, l, rj)) / l[rj + j];
        }
        double diag = a[ri + i] + shift - dot(i, l, ri, l, ri);
        if (!(diag > 0) || !Double.isFinite(diag)) return false;
        l[ri + i] = Math.sqrt(diag);
        return true;
    }

    /** Solves L L^T x = b in place (b becomes x) for the factor of {@link #cholesky}. */
    static void choleskySolve(int d, double[] l, double[] b) {
        for (int i = 0; i < d; i++) b[i] = (b[i] - dot(i, l, i * d, b, 0)) / l[i * d + i];
        for (int i = d - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < d; k++) s -= l[k * d + i] * b[k];
            b[i] = s / l[i * d + i];
        }
    }

    static void identity(int n, double[] out) {
        Arrays.fill(out, 0, n * n, 0.0);
        for (int i = 0; i < n; i++) out[i * n + i] = 1;
    }

    /** |x - y|_F. */
    static double distance(int len, double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < len; i++) { double d = x[i] - y[i]; s += d * d; }
        return Math.sqrt(s);
    }
}
