package io.degen.metrics.dsa;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Allocation-free kernels on small square row-major matrices (the r x r operators), vectorised
 * over a row with the JDK Vector API (4 doubles a lane group where the CPU has them).
 */
final class SmallMat {
    private static final VectorSpecies<Double> S =
            DoubleVector.SPECIES_PREFERRED.length() >= 4 ? DoubleVector.SPECIES_256 : DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SmallMat() { }

    /** out = x y. out must not alias x or y. */
    static void mul(int n, double[] x, double[] y, double[] out) {
        int up = S.loopBound(n);
        for (int i = 0; i < n; i++) {
            int oi = i * n, j = 0;
            for (; j + 2 * L <= up; j += 2 * L) {
                DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
                for (int k = 0, yk = j; k < n; k++, yk += n) {
                    DoubleVector b = DoubleVector.broadcast(S, x[oi + k]);
                    a0 = DoubleVector.fromArray(S, y, yk).fma(b, a0);
                    a1 = DoubleVector.fromArray(S, y, yk + L).fma(b, a1);
                }
                a0.intoArray(out, oi + j);
                a1.intoArray(out, oi + j + L);
            }
            for (; j < up; j += L) {
                DoubleVector a0 = DoubleVector.zero(S);
                for (int k = 0, yk = j; k < n; k++, yk += n) a0 = DoubleVector.fromArray(S, y, yk).fma(DoubleVector.broadcast(S, x[oi + k]), a0);
                a0.intoArray(out, oi + j);
            }
            for (; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += x[oi + k] * y[k * n + j];
                out[oi + j] = s;
            }
        }
    }

    /** out = x^T y. out must not alias x or y. */
    static void mulTN(int n, double[] x, double[] y, double[] out) {
        int up = S.loopBound(n);
        for (int i = 0; i < n; i++) {
            int oi = i * n, j = 0;
            for (; j + 2 * L <= up; j += 2 * L) {
                DoubleVector a0 = DoubleVector.zero(S), a1 = DoubleVector.zero(S);
                for (int k = 0, yk = j; k < n; k++, yk += n) {
                    DoubleVector b = DoubleVector.broadcast(S, x[k * n + i]);
                    a0 = DoubleVector.fromArray(S, y, yk).fma(b, a0);
                    a1 = DoubleVector.fromArray(S, y, yk + L).fma(b, a1);
                }
                a0.intoArray(out, oi + j);
                a1.intoArray(out, oi + j + L);
            }
            for (; j < up; j += L) {
                DoubleVector a0 = DoubleVector.zero(S);
                for (int k = 0, yk = j; k < n; k++, yk += n) a0 = DoubleVector.fromArray(S, y, yk).fma(DoubleVector.broadcast(S, x[k * n + i]), a0);
                a0.intoArray(out, oi + j);
            }
            for (; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += x[k * n + i] * y[k * n + j];
                out[oi + j] = s;
            }
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
