package io.degen.backend;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row-major GEMM on the JDK Vector API: C += alpha A B with A m x k, B k x n. A is addressed as
 * A(i, p) = a[aOff + i * lda + p * sp], so a transposed A needs no packing (lda = 1, sp = its row
 * length); a transposed B is packed by the caller. A 4-row by 2-vector register block runs over k in
 * panels of {@link #KC}, so a panel of B stays in cache; at the RNN shapes (64x128x128) this reaches
 * native-BLAS speed on one core (shared/reference/platform.md, section 3).
 */
final class VectorGemm {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    static final int KC = 256;

    private VectorGemm() { }

    static void sgemm(int m, int n, int k, float alpha, float[] a, int aOff, int lda, int sp,
                      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        final int L = FS.length();
        final int nv2 = n - n % (2 * L);
        final int nv1 = n - n % L;
        for (int k0 = 0; k0 < k; k0 += KC) {
            final int k1 = Math.min(k, k0 + KC);
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                final int a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
                final int c0 = cOff + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
                int j = 0;
                for (; j < nv2; j += 2 * L) {
                    FloatVector s00 = FloatVector.zero(FS), s01 = FloatVector.zero(FS);
                    FloatVector s10 = FloatVector.zero(FS), s11 = FloatVector.zero(FS);
                    FloatVector s20 = FloatVector.zero(FS), s21 = FloatVector.zero(FS);
                    FloatVector s30 = FloatVector.zero(FS), s31 = FloatVector.zero(FS);
                    for (int p = k0; p < k1; p++) {
                        int bp = bOff + p * ldb + j;
                        FloatVector b0 = FloatVector.fromArray(FS, b, bp);
                        FloatVector b1 = FloatVector.fromArray(FS, b, bp + L);
                        FloatVector x0 = FloatVector.broadcast(FS, a[a0 + p * sp]);
                        FloatVector x1 = FloatVector.broadcast(FS, a[a1 + p * sp]);
                        FloatVector x2 = FloatVector.broadcast(FS, a[a2 + p * sp]);
                        FloatVector x3 = FloatVector.broadcast(FS, a[a3 + p * sp]);
                        s00 = x0.fma(b0, s00); s01 = x0.fma(b1, s01);
                        s10 = x1.fma(b0, s10); s11 = x1.fma(b1, s11);
                        s20 = x2.fma(b0, s20); s21 = x2.fma(b1, s21);
                        s30 = x3.fma(b0, s30); s31 = x3.fma(b1, s31);
                    }
                    addTo(s00, alpha, c, c0 + j); addTo(s01, alpha, c, c0 + j + L);
                    addTo(s10, alpha, c, c1 + j); addTo(s11, alpha, c, c1 + j + L);
                    addTo(s20, alpha, c, c2 + j); addTo(s21, alpha, c, c2 + j + L);
                    addTo(s30, alpha, c, c3 + j); addTo(s31, alpha, c, c3 + j + L);
                }
                for (; j < nv1; j += L) {
                    FloatVector s0 = FloatVector.zero(FS), s1 = FloatVector.zero(FS);
                    FloatVector s2 = FloatVector.zero(FS), s3 = FloatVector.zero(FS);
                    for (int p = k0; p < k1; p++) {
                        FloatVector b0 = FloatVector.fromArray(FS, b, bOff + p * ldb + j);
                        s0 = FloatVector.broadcast(FS, a[a0 + p * sp]).fma(b0, s0);
                        s1 = FloatVector.broadcast(FS, a[a1 + p * sp]).fma(b0, s1);
                        s2 = FloatVector.broadcast(FS, a[a2 + p * sp]).fma(b0, s2);
                        s3 = FloatVector.broadcast(FS, a[a3 + p * sp]).fma(b0, s3);
                    }
                    addTo(s0, alpha, c, c0 + j); addTo(s1, alpha, c, c1 + j);
                    addTo(s2, alpha, c, c2 + j); addTo(s3, alpha, c, c3 + j);
                }
                for (; j < n; j++) {
                    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    for (int p = k0; p < k1; p++) {
                        float bv = b[bOff + p * ldb + j];
                        s0 += a[a0 + p * sp] * bv; s1 += a[a1 + p * sp] * bv; s2 += a[a2 + p * sp] * bv; s3 += a[a3 + p * sp] * bv;
                    }
                    c[c0 + j] += alpha * s0; c[c1 + j] += alpha * s1; c[c2 + j] += alpha * s2; c[c3 + j] += alpha * s3;
                }
            }
            for (; i < m; i++) {
                final int ai = aOff + i * lda, ci = cOff + i * ldc;
                int j = 0;
                for (; j < nv1; j += L) {
                    FloatVector s = FloatVector.zero(FS);
                    for (int p = k0; p < k1; p++) {
                        s = FloatVector.broadcast(FS, a[ai + p * sp]).fma(FloatVector.fromArray(FS, b, bOff + p * ldb + j), s);
                    }
                    addTo(s, alpha, c, ci + j);
                }
                for (; j < n; j++) {
                    float s = 0;
                    for (int p = k0; p < k1; p++) s += a[ai + p * sp] * b[bOff + p * ldb + j];
                    c[ci + j] += alpha * s;
                }
            }
        }
    }

    private static void addTo(FloatVector s, float alpha, float[] c, int off) {
        FloatVector cv = FloatVector.fromArray(FS, c, off);
        (alpha == 1f ? cv.add(s) : s.mul(alpha).add(cv)).intoArray(c, off);
    }

    static void dgemm(int m, int n, int k, double alpha, double[] a, int aOff, int lda, int sp,
                      double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
        final int L = DS.length();
        final int nv2 = n - n % (2 * L);
        final int nv1 = n - n % L;
        for (int k0 = 0; k0 < k; k0 += KC) {
            final int k1 = Math.min(k, k0 + KC);
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                final int a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
                final int c0 = cOff + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
                int j = 0;
                for (; j < nv2; j += 2 * L) {
                    DoubleVector s00 = DoubleVector.zero(DS), s01 = DoubleVector.zero(DS);
                    DoubleVector s10 = DoubleVector.zero(DS), s11 = DoubleVector.zero(DS);
                    DoubleVector s20 = DoubleVector.zero(DS), s21 = DoubleVector.zero(DS);
                    DoubleVector s30 = DoubleVector.zero(DS), s31 = DoubleVector.zero(DS);
                    for (int p = k0; p < k1; p++) {
                        int bp = bOff + p * ldb + j;
                        DoubleVector b0 = DoubleVector.fromArray(DS, b, bp);
                        DoubleVector b1 = DoubleVector.fromArray(DS, b, bp + L);
                        DoubleVector x0 = DoubleVector.broadcast(DS, a[a0 + p * sp]);
                        DoubleVector x1 = DoubleVector.broadcast(DS, a[a1 + p * sp]);
                        DoubleVector x2 = DoubleVector.broadcast(DS, a[a2 + p * sp]);
                        DoubleVector x3 = DoubleVector.broadcast(DS, a[a3 + p * sp]);
                        s00 = x0.fma(b0, s00); s01 = x0.fma(b1, s01);
                        s10 = x1.fma(b0, s10); s11 = x1.fma(b1, s11);
                        s20 = x2.fma(b0, s20); s21 = x2.fma(b1, s21);
                        s30 = x3.fma(b0, s30); s31 = x3.fma(b1, s31);
                    }
                    addTo(s00, alpha, c, c0 + j); addTo(s01, alpha, c, c0 + j + L);
                    addTo(s10, alpha, c, c1 + j); addTo(s11, alpha, c, c1 + j + L);
                    addTo(s20, alpha, c, c2 + j); addTo(s21, alpha, c, c2 + j + L);
                    addTo(s30, alpha, c, c3 + j); addTo(s31, alpha, c, c3 + j + L);
                }
                for (; j < nv1; j += L) {
                    DoubleVector s0 = DoubleVector.zero(DS), s1 = DoubleVector.zero(DS);
                    DoubleVector s2 = DoubleVector.zero(DS), s3 = DoubleVector.zero(DS);
                    for (int p = k0; p < k1; p++) {
                        DoubleVector b0 = DoubleVector.fromArray(DS, b, bOff + p * ldb + j);
                        s0 = DoubleVector.broadcast(DS, a[a0 + p * sp]).fma(b0, s0);
                        s1 = DoubleVector.broadcast(DS, a[a1 + p * sp]).fma(b0, s1);
                        s2 = DoubleVector.broadcast(DS, a[a2 + p * sp]).fma(b0, s2);
                        s3 = DoubleVector.broadcast(DS, a[a3 + p * sp]).fma(b0, s3);
                    }
                    addTo(s0, alpha, c, c0 + j); addTo(s1, alpha, c, c1 + j);
                    addTo(s2, alpha, c, c2 + j); addTo(s3, alpha, c, c3 + j);
                }
                for (; j < n; j++) {
                    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    for (int p = k0; p < k1; p++) {
                        double bv = b[bOff + p * ldb + j];
                        s0 += a[a0 + p * sp] * bv; s1 += a[a1 + p * sp] * bv; s2 += a[a2 + p * sp] * bv; s3 += a[a3 + p * sp] * bv;
                    }
                    c[c0 + j] += alpha * s0; c[c1 + j] += alpha * s1; c[c2 + j] += alpha * s2; c[c3 + j] += alpha * s3;
                }
            }
            for (; i < m; i++) {
                final int ai = aOff + i * lda, ci = cOff + i * ldc;
                int j = 0;
                for (; j < nv1; j += L) {
                    DoubleVector s = DoubleVector.zero(DS);
                    for (int p = k0; p < k1; p++) {
                        s = DoubleVector.broadcast(DS, a[ai + p * sp]).fma(DoubleVector.fromArray(DS, b, bOff + p * ldb + j), s);
                    }
                    addTo(s, alpha, c, ci + j);
                }
                for (; j < n; j++) {
                    double s = 0;
                    for (int p = k0; p < k1; p++) s += a[ai + p * sp] * b[bOff + p * ldb + j];
                    c[ci + j] += alpha * s;
                }
            }
        }
    }

    private static void addTo(DoubleVector s, double alpha, double[] c, int off) {
        DoubleVector cv = DoubleVector.fromArray(DS, c, off);
        (alpha == 1.0 ? cv.add(s) : s.mul(alpha).add(cv)).intoArray(c, off);
    }
}
