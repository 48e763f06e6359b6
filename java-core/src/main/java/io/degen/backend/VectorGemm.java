package io.degen.backend;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row-major GEMM on the JDK Vector API: C += alpha A B with A m x k, B k x n. Both operands are read
 * through strides, A(i, p) = a[aOff + i * lda + p * sp] and B(p, j) = b[bOff + p * ldb + j * sb], so a
 * transposed operand needs no separate transpose (for A: lda = 1, sp = its row length).
 *
 * <p>Blocking: B is copied in panels of {@link #KC} rows by {@link #NC} columns, as strips NR = 2
 * vectors wide; each {@link #MR}-row block of A is copied into a contiguous micro-panel (one column of
 * it every {@link #AP} elements); a 4 x 2 vector register tile then runs down the panel. Both copies
 * exist so that every load in the inner loop sits at (loop counter) x (power of two) + invariant,
 * which C2 recognises: it checks the bounds once before the loop instead of on every iteration (it
 * does not for a stride of ldb or lda, nor for a multiple of 5 or 6, which it rewrites into shifts and
 * adds). The tile stays 4 x 2 (8 accumulators): with 6 x 2 C2 spilled an accumulator to the stack
 * inside the loop, with 4 x 3 too, and 5 x 2, fastest under G1, spilled three of them in the
 * compilation made under -XX:+UseParallelGC (the launcher's setting) and ran at half speed. Edge tiles
 * are zero-padded, computed in full, and only their valid part is added to C.
 *
 * <p>Each element of C is summed in a fixed order (p ascending with fused multiply-adds within a KC
 * panel, panels added to C in order), whatever the thread and whichever tile it falls in.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** Rows of B (depth) per packed panel. */
    static final int KC = 256;
    /** Columns of B per packed panel (a multiple of 2 vectors for every species up to 2048 bits). */
    static final int NC = 256;
    /** Rows of the register tile. */
    static final int MR = 4;
    /** Stride between packed columns of an A micro-panel: a power of two (measured no slower than MR). */
    static final int AP = 8;

    private VectorGemm() { }

    /**
     * Whether to compute C^T = B^T A^T instead: when n is narrow next to the 2-vector tile width (an RNN
     * read-out with 3 outputs, say) and m is not, the tile then runs along m, where less of it is
     * padding. The choice depends on the shape only, and each element's sum is the same either way.
     */
    static boolean transposeWins(int m, int n, int nr) {
        long direct = (long) ((m + MR - 1) / MR * MR) * ((n + nr - 1) / nr * nr);
        long swapped = (long) ((n + MR - 1) / MR * MR) * ((m + nr - 1) / nr * nr);
        return 4 * swapped < 3 * direct;
    }

    /** Per-thread packing buffers {A micro-panel, B panel, edge-tile staging}. */
    private static final ThreadLocal<float[][]> F_SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    /**
     * C(i, j) = alpha sum_p A(i, p) B(p, j) + (overwrite ? 0 : C(i, j)) for the m x n block
     * C(i, j) = c[cOff + i * ldc + j], with A(i, p) = a[aOff + i * lda + p * sp] and
     * B(p, j) = b[bOff + p * ldb + j * sb]. With overwrite (beta = 0) the old contents of C are never
     * read: the first KC panel stores its tiles instead of adding them.
     */
    static void sgemm(int m, int n, int k, float alpha, float[] a, int aOff, int lda, int sp,
                      float[] b, int bOff, int ldb, int sb, float[] c, int cOff, int ldc, boolean overwrite) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            if (overwrite) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        final int NR = 2 * FS.length();
        if (transposeWins(m, n, NR)) {
            // C^T = B^T A^T: the narrow side becomes the rows of the tile
            blocked(n, m, k, alpha, b, bOff, sb, ldb, a, aOff, sp, lda, c, cOff, 1, ldc, overwrite);
        } else {
            blocked(m, n, k, alpha, a, aOff, lda, sp, b, bOff, ldb, sb, c, cOff, ldc, 1, overwrite);
        }
    }

    /** C(i, j) = c[c0 + i * crs + j * ccs], A(i, p) = a[a0 + i * ars + p * acs], B(p, j) = b[b0 + p * brs + j * bcs]. */
    private static void blocked(int m, int n, int k, float alpha, float[] a, int a0, int ars, int acs,
                                float[] b, int b0, int brs, int bcs, float[] c, int c0, int crs, int ccs,
                                boolean overwrite) {
        final int NR = 2 * FS.length();
        final int ncMax = (Math.min(n, NC) + NR - 1) / NR * NR;
        float[][] scr = F_SCRATCH.get();
        if (scr[0].length < AP * KC) scr[0] = new float[AP * KC];
        if (scr[1].length < KC * ncMax) scr[1] = new float[KC * ncMax];
        if (scr[2].length < MR * NR) scr[2] = new float[MR * NR];
        final float[] ap = scr[0], bp = scr[1], tmp = scr[2];
        for (int j0 = 0; j0 < n; j0 += NC) {
            final int nc = Math.min(NC, n - j0);
            for (int k0 = 0; k0 < k; k0 += KC) {
                final int kc = Math.min(KC, k - k0);
                packB(b, b0 + k0 * brs + j0 * bcs, brs, bcs, kc, nc, bp);
                for (int i = 0; i < m; i += MR) {
                    final int mr = Math.min(MR, m - i);
                    final int ai = a0 + i * ars + k0 * acs, ci = c0 + i * crs + j0 * ccs;
                    if (acs == 1 && mr == MR) {
                        // A's rows are contiguous: read them in place (at H = 32 packing cost as much as the tile)
                        for (int j = 0; j < nc; j += NR) {
                            kernelRows(kc, a, ai, ars, bp, j * kc, alpha, c, ci + j * ccs, crs, ccs, Math.min(NR, nc - j), tmp,
                                    overwrite && k0 == 0);
                        }
                        continue;
                    }
                    packA(a, ai, ars, acs, mr, kc, ap);
                    if (overwrite && k0 == 0) {
                        for (int j = 0; j < nc; j += NR) {
                            kernelStore(kc, ap, bp, j * kc, alpha, c, ci + j * ccs, crs, ccs, mr, Math.min(NR, nc - j), tmp);
                        }
                    } else {
                        for (int j = 0; j < nc; j += NR) {
                            kernel(kc, ap, bp, j * kc, alpha, c, ci + j * ccs, crs, ccs, mr, Math.min(NR, nc - j), tmp);
                        }
                    }
                }
            }
        }
    }

    /** ap[q * AP + r] = A(r, q) for r < mr, zero for the padding rows mr <= r < MR. */
    private static void packA(float[] a, int a0, int ars, int acs, int mr, int kc, float[] ap) {
        if (mr == MR) {
            final int r1 = a0 + ars, r2 = r1 + ars, r3 = r2 + ars;
            for (int q = 0; q < kc; q++) {
                final int s = q * acs, d = q * AP;
                ap[d] = a[a0 + s]; ap[d + 1] = a[r1 + s]; ap[d + 2] = a[r2 + s]; ap[d + 3] = a[r3 + s];
            }
        } else {
            for (int q = 0; q < kc; q++) {
                final int s = a0 + q * acs, d = q * AP;
                for (int r = 0; r < MR; r++) ap[d + r] = r < mr ? a[s + r * ars] : 0f;
            }
        }
    }

    /**
     * Copies B(0..kc, 0..nc) into strips of NR columns: B(q, s + j) goes to bp[s * kc + q * NR + j] for
     * the strip starting at column s; a last, narrower strip is zero-padded.
     */
    private static void packB(float[] b, int b0, int brs, int bcs, int kc, int nc, float[] bp) {
        final int L = FS.length(), NR = 2 * L;
        int s = 0;
        if (bcs == 1) {
            for (; s + NR <= nc; s += NR) {
                final int d0 = s * kc;
                for (int q = 0; q < kc; q++) {
                    final int src = b0 + q * brs + s, dst = d0 + q * NR;
                    FloatVector.fromArray(FS, b, src).intoArray(bp, dst);
                    FloatVector.fromArray(FS, b, src + L).intoArray(bp, dst + L);
                }
            }
        }
        for (; s < nc; s += NR) {
            final int w = Math.min(NR, nc - s), d0 = s * kc;
            for (int j = 0; j < NR; j++) {
                final int src = b0 + (s + j) * bcs;
                if (j < w) for (int q = 0; q < kc; q++) bp[d0 + q * NR + j] = b[src + q * brs];
                else for (int q = 0; q < kc; q++) bp[d0 + q * NR + j] = 0f;
            }
        }
    }

    /**
     * One MR x NR tile: C(0..mr, 0..nr) += alpha * sum_q ap(., q) bp(q, .), the sum over q in order
     * with fused multiply-adds, then added to C once. Padding rows and columns are computed and dropped.
     */
    private static void kernel(int kc, float[] ap, float[] bp, int bo, float alpha, float[] c, int co, int crs, int ccs,
                               int mr, int nr, float[] tmp) {
        final int L = FS.length(), NR = 2 * L;
        FloatVector s00 = FloatVector.zero(FS), s01 = FloatVector.zero(FS);
        FloatVector s10 = FloatVector.zero(FS), s11 = FloatVector.zero(FS);
        FloatVector s20 = FloatVector.zero(FS), s21 = FloatVector.zero(FS);
        FloatVector s30 = FloatVector.zero(FS), s31 = FloatVector.zero(FS);
        for (int q = 0; q < kc; q++) {
            // q * NR and q * AP are shifts of the loop counter: C2 checks these indices once per call
            final int bq = bo + q * NR, aq = q * AP;
            final FloatVector b0 = FloatVector.fromArray(FS, bp, bq);
            final FloatVector b1 = FloatVector.fromArray(FS, bp, bq + L);
            FloatVector x = FloatVector.broadcast(FS, ap[aq]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01);
            x = FloatVector.broadcast(FS, ap[aq + 1]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11);
            x = FloatVector.broadcast(FS, ap[aq + 2]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21);
            x = FloatVector.broadcast(FS, ap[aq + 3]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31);
        }
        if (mr == MR && nr == NR && ccs == 1) {
            final int c1 = co + crs, c2 = c1 + crs, c3 = c2 + crs;
            if (alpha != 1f) {  // scaled first: the same products as alpha * s, and no alpha branch per store
                s00 = s00.mul(alpha); s01 = s01.mul(alpha); s10 = s10.mul(alpha); s11 = s11.mul(alpha);
                s20 = s20.mul(alpha); s21 = s21.mul(alpha); s30 = s30.mul(alpha); s31 = s31.mul(alpha);
            }
            addTo(s00, c, co); addTo(s01, c, co + L); addTo(s10, c, c1); addTo(s11, c, c1 + L);
            addTo(s20, c, c2); addTo(s21, c, c2 + L); addTo(s30, c, c3); addTo(s31, c, c3 + L);
        } else {
            s00.intoArray(tmp, 0); s01.intoArray(tmp, L);
            s10.intoArray(tmp, NR); s11.intoArray(tmp, NR + L);
            s20.intoArray(tmp, 2 * NR); s21.intoArray(tmp, 2 * NR + L);
            s30.intoArray(tmp, 3 * NR); s31.intoArray(tmp, 3 * NR + L);
            for (int r = 0; r < mr; r++) {
                final int cr = co + r * crs, t = r * NR;
                if (alpha == 1f) for (int j = 0; j < nr; j++) c[cr + j * ccs] += tmp[t + j];
                else for (int j = 0; j < nr; j++) c[cr + j * ccs] += alpha * tmp[t + j];
            }
        }
    }

    /**
     * {@link #kernel} for the first panel of an overwrite: C = alpha * sum, C not read. (A copy rather than
     * a flag: with the flag, C2 compiled the accumulating path ~15% slower at small k.)
     */
    private static void kernelStore(int kc, float[] ap, float[] bp, int bo, float alpha, float[] c, int co, int crs, int ccs,
                               int mr, int nr, float[] tmp) {
        final int L = FS.length(), NR = 2 * L;
        FloatVector s00 = FloatVector.zero(FS), s01 = FloatVector.zero(FS);
        FloatVector s10 = FloatVector.zero(FS), s11 = FloatVector.zero(FS);
        FloatVector s20 = FloatVector.zero(FS), s21 = FloatVector.zero(FS);
        FloatVector s30 = FloatVector.zero(FS), s31 = FloatVector.zero(FS);
        for (int q = 0; q < kc; q++) {
            // q * NR and q * AP are shifts of the loop counter: C2 checks these indices once per call
            final int bq = bo + q * NR, aq = q * AP;
            final FloatVector b0 = FloatVector.fromArray(FS, bp, bq);
            final FloatVector b1 = FloatVector.fromArray(FS, bp, bq + L);
            FloatVector x = FloatVector.broadcast(FS, ap[aq]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01);
            x = FloatVector.broadcast(FS, ap[aq + 1]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11);
            x = FloatVector.broadcast(FS, ap[aq + 2]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21);
            x = FloatVector.broadcast(FS, ap[aq + 3]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31);
        }
        if (mr == MR && nr == NR && ccs == 1) {
            final int c1 = co + crs, c2 = c1 + crs, c3 = c2 + crs;
            if (alpha != 1f) {  // scaled first: the same products as alpha * s, and no alpha branch per store
                s00 = s00.mul(alpha); s01 = s01.mul(alpha); s10 = s10.mul(alpha); s11 = s11.mul(alpha);
                s20 = s20.mul(alpha); s21 = s21.mul(alpha); s30 = s30.mul(alpha); s31 = s31.mul(alpha);
            }
            s00.intoArray(c, co); s01.intoArray(c, co + L); s10.intoArray(c, c1); s11.intoArray(c, c1 + L);
            s20.intoArray(c, c2); s21.intoArray(c, c2 + L); s30.intoArray(c, c3); s31.intoArray(c, c3 + L);
        } else {
            s00.intoArray(tmp, 0); s01.intoArray(tmp, L);
            s10.intoArray(tmp, NR); s11.intoArray(tmp, NR + L);
            s20.intoArray(tmp, 2 * NR); s21.intoArray(tmp, 2 * NR + L);
            s30.intoArray(tmp, 3 * NR); s31.intoArray(tmp, 3 * NR + L);
            for (int r = 0; r < mr; r++) {
                final int cr = co + r * crs, t = r * NR;
                if (alpha == 1f) for (int j = 0; j < nr; j++) c[cr + j * ccs] = tmp[t + j];
                else for (int j = 0; j < nr; j++) c[cr + j * ccs] = alpha * tmp[t + j];
            }
        }
    }

    /**
     * {@link #kernel} (or, with {@code store}, {@link #kernelStore}) for a full tile whose four rows of A
     * are contiguous in {@code a}, read in place: rows at a0, a0 + ars, ... The indices are the loop
     * counter plus an invariant, so C2 checks them once per call, as in the packed kernels; the sums
     * are the same, in the same order.
     */
    private static void kernelRows(int kc, float[] a, int a0, int ars, float[] bp, int bo, float alpha, float[] c, int co,
                                   int crs, int ccs, int nr, float[] tmp, boolean store) {
        final int L = FS.length(), NR = 2 * L;
        final int a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars;
        FloatVector s00 = FloatVector.zero(FS), s01 = FloatVector.zero(FS);
        FloatVector s10 = FloatVector.zero(FS), s11 = FloatVector.zero(FS);
        FloatVector s20 = FloatVector.zero(FS), s21 = FloatVector.zero(FS);
        FloatVector s30 = FloatVector.zero(FS), s31 = FloatVector.zero(FS);
        for (int q = 0; q < kc; q++) {
            final int bq = bo + q * NR;
            final FloatVector b0 = FloatVector.fromArray(FS, bp, bq);
            final FloatVector b1 = FloatVector.fromArray(FS, bp, bq + L);
            FloatVector x = FloatVector.broadcast(FS, a[a0 + q]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01);
            x = FloatVector.broadcast(FS, a[a1 + q]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11);
            x = FloatVector.broadcast(FS, a[a2 + q]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21);
            x = FloatVector.broadcast(FS, a[a3 + q]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31);
        }
        if (nr == NR && ccs == 1) {
            final int c1 = co + crs, c2 = c1 + crs, c3 = c2 + crs;
            if (alpha != 1f) {  // scaled first: the same products as alpha * s, and no alpha branch per store
                s00 = s00.mul(alpha); s01 = s01.mul(alpha); s10 = s10.mul(alpha); s11 = s11.mul(alpha);
                s20 = s20.mul(alpha); s21 = s21.mul(alpha); s30 = s30.mul(alpha); s31 = s31.mul(alpha);
            }
            if (store) {
                s00.intoArray(c, co); s01.intoArray(c, co + L); s10.intoArray(c, c1); s11.intoArray(c, c1 + L);
                s20.intoArray(c, c2); s21.intoArray(c, c2 + L); s30.intoArray(c, c3); s31.intoArray(c, c3 + L);
            } else {
                addTo(s00, c, co); addTo(s01, c, co + L); addTo(s10, c, c1); addTo(s11, c, c1 + L);
                addTo(s20, c, c2); addTo(s21, c, c2 + L); addTo(s30, c, c3); addTo(s31, c, c3 + L);
            }
            return;
        }
        s00.intoArray(tmp, 0); s01.intoArray(tmp, L);
        s10.intoArray(tmp, NR); s11.intoArray(tmp, NR + L);
        s20.intoArray(tmp, 2 * NR); s21.intoArray(tmp, 2 * NR + L);
        s30.intoArray(tmp, 3 * NR); s31.intoArray(tmp, 3 * NR + L);
        for (int r = 0; r < MR; r++) {
            final int cr = co + r * crs, t = r * NR;
            for (int j = 0; j < nr; j++) {
                float v = alpha == 1f ? tmp[t + j] : alpha * tmp[t + j];
                if (store) c[cr + j * ccs] = v; else c[cr + j * ccs] += v;
            }
        }
    }

    /**
     * C[off..] += s. Kept small: with the alpha branch inside (and put beside it) a kernel reached C2's
     * node-count cutoff (NodeCountInliningCutoff), the last calls stayed out of line and every vector
     * passed to them was boxed (JFR: hundreds of MB/s of arrays in the GEMM kernels).
     */
    private static void addTo(FloatVector s, float[] c, int off) {
        s.add(FloatVector.fromArray(FS, c, off)).intoArray(c, off);
    }

    /** Per-thread packing buffers {A micro-panel, B panel, edge-tile staging}. */
    private static final ThreadLocal<double[][]> D_SCRATCH = ThreadLocal.withInitial(() -> new double[3][0]);

    /**
     * C(i, j) = alpha sum_p A(i, p) B(p, j) + (overwrite ? 0 : C(i, j)) for the m x n block
     * C(i, j) = c[cOff + i * ldc + j], with A(i, p) = a[aOff + i * lda + p * sp] and
     * B(p, j) = b[bOff + p * ldb + j * sb]. With overwrite (beta = 0) the old contents of C are never
     * read: the first KC panel stores its tiles instead of adding them.
     */
    static void dgemm(int m, int n, int k, double alpha, double[] a, int aOff, int lda, int sp,
                      double[] b, int bOff, int ldb, int sb, double[] c, int cOff, int ldc, boolean overwrite) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            if (overwrite) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0.0);
            return;
        }
        final int NR = 2 * DS.length();
        if (transposeWins(m, n, NR)) {
            // C^T = B^T A^T: the narrow side becomes the rows of the tile
            blocked(n, m, k, alpha, b, bOff, sb, ldb, a, aOff, sp, lda, c, cOff, 1, ldc, overwrite);
        } else {
            blocked(m, n, k, alpha, a, aOff, lda, sp, b, bOff, ldb, sb, c, cOff, ldc, 1, overwrite);
        }
    }

    /** C(i, j) = c[c0 + i * crs + j * ccs], A(i, p) = a[a0 + i * ars + p * acs], B(p, j) = b[b0 + p * brs + j * bcs]. */
    private static void blocked(int m, int n, int k, double alpha, double[] a, int a0, int ars, int acs,
                                double[] b, int b0, int brs, int bcs, double[] c, int c0, int crs, int ccs,
                                boolean overwrite) {
        final int NR = 2 * DS.length();
        final int ncMax = (Math.min(n, NC) + NR - 1) / NR * NR;
        double[][] scr = D_SCRATCH.get();
        if (scr[0].length < AP * KC) scr[0] = new double[AP * KC];
        if (scr[1].length < KC * ncMax) scr[1] = new double[KC * ncMax];
        if (scr[2].length < MR * NR) scr[2] = new double[MR * NR];
        final double[] ap = scr[0], bp = scr[1], tmp = scr[2];
        for (int j0 = 0; j0 < n; j0 += NC) {
            final int nc = Math.min(NC, n - j0);
            for (int k0 = 0; k0 < k; k0 += KC) {
                final int kc = Math.min(KC, k - k0);
                packB(b, b0 + k0 * brs + j0 * bcs, brs, bcs, kc, nc, bp);
                for (int i = 0; i < m; i += MR) {
                    final int mr = Math.min(MR, m - i);
                    packA(a, a0 + i * ars + k0 * acs, ars, acs, mr, kc, ap);
                    final int ci = c0 + i * crs + j0 * ccs;
                    if (overwrite && k0 == 0) {
                        for (int j = 0; j < nc; j += NR) {
                            kernelStore(kc, ap, bp, j * kc, alpha, c, ci + j * ccs, crs, ccs, mr, Math.min(NR, nc - j), tmp);
                        }
                    } else {
                        for (int j = 0; j < nc; j += NR) {
                            kernel(kc, ap, bp, j * kc, alpha, c, ci + j * ccs, crs, ccs, mr, Math.min(NR, nc - j), tmp);
                        }
                    }
                }
            }
        }
    }

    /** ap[q * AP + r] = A(r, q) for r < mr, zero for the padding rows mr <= r < MR. */
    private static void packA(double[] a, int a0, int ars, int acs, int mr, int kc, double[] ap) {
        if (mr == MR) {
            final int r1 = a0 + ars, r2 = r1 + ars, r3 = r2 + ars;
            for (int q = 0; q < kc; q++) {
                final int s = q * acs, d = q * AP;
                ap[d] = a[a0 + s]; ap[d + 1] = a[r1 + s]; ap[d + 2] = a[r2 + s]; ap[d + 3] = a[r3 + s];
            }
        } else {
            for (int q = 0; q < kc; q++) {
                final int s = a0 + q * acs, d = q * AP;
                for (int r = 0; r < MR; r++) ap[d + r] = r < mr ? a[s + r * ars] : 0.0;
            }
        }
    }

    /**
     * Copies B(0..kc, 0..nc) into strips of NR columns: B(q, s + j) goes to bp[s * kc + q * NR + j] for
     * the strip starting at column s; a last, narrower strip is zero-padded.
     */
    private static void packB(double[] b, int b0, int brs, int bcs, int kc, int nc, double[] bp) {
        final int L = DS.length(), NR = 2 * L;
        int s = 0;
        if (bcs == 1) {
            for (; s + NR <= nc; s += NR) {
                final int d0 = s * kc;
                for (int q = 0; q < kc; q++) {
                    final int src = b0 + q * brs + s, dst = d0 + q * NR;
                    DoubleVector.fromArray(DS, b, src).intoArray(bp, dst);
                    DoubleVector.fromArray(DS, b, src + L).intoArray(bp, dst + L);
                }
            }
        }
        for (; s < nc; s += NR) {
            final int w = Math.min(NR, nc - s), d0 = s * kc;
            for (int j = 0; j < NR; j++) {
                final int src = b0 + (s + j) * bcs;
                if (j < w) for (int q = 0; q < kc; q++) bp[d0 + q * NR + j] = b[src + q * brs];
                else for (int q = 0; q < kc; q++) bp[d0 + q * NR + j] = 0.0;
            }
        }
    }

    /**
     * One MR x NR tile: C(0..mr, 0..nr) += alpha * sum_q ap(., q) bp(q, .), the sum over q in order
     * with fused multiply-adds, then added to C once. Padding rows and columns are computed and dropped.
     */
    private static void kernel(int kc, double[] ap, double[] bp, int bo, double alpha, double[] c, int co, int crs, int ccs,
                               int mr, int nr, double[] tmp) {
        final int L = DS.length(), NR = 2 * L;
        DoubleVector s00 = DoubleVector.zero(DS), s01 = DoubleVector.zero(DS);
        DoubleVector s10 = DoubleVector.zero(DS), s11 = DoubleVector.zero(DS);
        DoubleVector s20 = DoubleVector.zero(DS), s21 = DoubleVector.zero(DS);
        DoubleVector s30 = DoubleVector.zero(DS), s31 = DoubleVector.zero(DS);
        for (int q = 0; q < kc; q++) {
            // q * NR and q * AP are shifts of the loop counter: C2 checks these indices once per call
            final int bq = bo + q * NR, aq = q * AP;
            final DoubleVector b0 = DoubleVector.fromArray(DS, bp, bq);
            final DoubleVector b1 = DoubleVector.fromArray(DS, bp, bq + L);
            DoubleVector x = DoubleVector.broadcast(DS, ap[aq]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01);
            x = DoubleVector.broadcast(DS, ap[aq + 1]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11);
            x = DoubleVector.broadcast(DS, ap[aq + 2]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21);
            x = DoubleVector.broadcast(DS, ap[aq + 3]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31);
        }
        if (mr == MR && nr == NR && ccs == 1) {
            final int c1 = co + crs, c2 = c1 + crs, c3 = c2 + crs;
            if (alpha != 1.0) {  // scaled first: the same products as alpha * s, and no alpha branch per store
                s00 = s00.mul(alpha); s01 = s01.mul(alpha); s10 = s10.mul(alpha); s11 = s11.mul(alpha);
                s20 = s20.mul(alpha); s21 = s21.mul(alpha); s30 = s30.mul(alpha); s31 = s31.mul(alpha);
            }
            addTo(s00, c, co); addTo(s01, c, co + L); addTo(s10, c, c1); addTo(s11, c, c1 + L);
            addTo(s20, c, c2); addTo(s21, c, c2 + L); addTo(s30, c, c3); addTo(s31, c, c3 + L);
        } else {
            s00.intoArray(tmp, 0); s01.intoArray(tmp, L);
            s10.intoArray(tmp, NR); s11.intoArray(tmp, NR + L);
            s20.intoArray(tmp, 2 * NR); s21.intoArray(tmp, 2 * NR + L);
            s30.intoArray(tmp, 3 * NR); s31.intoArray(tmp, 3 * NR + L);
            for (int r = 0; r < mr; r++) {
                final int cr = co + r * crs, t = r * NR;
                if (alpha == 1.0) for (int j = 0; j < nr; j++) c[cr + j * ccs] += tmp[t + j];
                else for (int j = 0; j < nr; j++) c[cr + j * ccs] += alpha * tmp[t + j];
            }
        }
    }

    /**
     * {@link #kernel} for the first panel of an overwrite: C = alpha * sum, C not read. (A copy rather than
     * a flag: with the flag, C2 compiled the accumulating path ~15% slower at small k.)
     */
    private static void kernelStore(int kc, double[] ap, double[] bp, int bo, double alpha, double[] c, int co, int crs, int ccs,
                               int mr, int nr, double[] tmp) {
        final int L = DS.length(), NR = 2 * L;
        DoubleVector s00 = DoubleVector.zero(DS), s01 = DoubleVector.zero(DS);
        DoubleVector s10 = DoubleVector.zero(DS), s11 = DoubleVector.zero(DS);
        DoubleVector s20 = DoubleVector.zero(DS), s21 = DoubleVector.zero(DS);
        DoubleVector s30 = DoubleVector.zero(DS), s31 = DoubleVector.zero(DS);
        for (int q = 0; q < kc; q++) {
            // q * NR and q * AP are shifts of the loop counter: C2 checks these indices once per call
            final int bq = bo + q * NR, aq = q * AP;
            final DoubleVector b0 = DoubleVector.fromArray(DS, bp, bq);
            final DoubleVector b1 = DoubleVector.fromArray(DS, bp, bq + L);
            DoubleVector x = DoubleVector.broadcast(DS, ap[aq]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01);
            x = DoubleVector.broadcast(DS, ap[aq + 1]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11);
            x = DoubleVector.broadcast(DS, ap[aq + 2]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21);
            x = DoubleVector.broadcast(DS, ap[aq + 3]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31);
        }
        if (mr == MR && nr == NR && ccs == 1) {
            final int c1 = co + crs, c2 = c1 + crs, c3 = c2 + crs;
            if (alpha != 1.0) {  // scaled first: the same products as alpha * s, and no alpha branch per store
                s00 = s00.mul(alpha); s01 = s01.mul(alpha); s10 = s10.mul(alpha); s11 = s11.mul(alpha);
                s20 = s20.mul(alpha); s21 = s21.mul(alpha); s30 = s30.mul(alpha); s31 = s31.mul(alpha);
            }
            s00.intoArray(c, co); s01.intoArray(c, co + L); s10.intoArray(c, c1); s11.intoArray(c, c1 + L);
            s20.intoArray(c, c2); s21.intoArray(c, c2 + L); s30.intoArray(c, c3); s31.intoArray(c, c3 + L);
        } else {
            s00.intoArray(tmp, 0); s01.intoArray(tmp, L);
            s10.intoArray(tmp, NR); s11.intoArray(tmp, NR + L);
            s20.intoArray(tmp, 2 * NR); s21.intoArray(tmp, 2 * NR + L);
            s30.intoArray(tmp, 3 * NR); s31.intoArray(tmp, 3 * NR + L);
            for (int r = 0; r < mr; r++) {
                final int cr = co + r * crs, t = r * NR;
                if (alpha == 1.0) for (int j = 0; j < nr; j++) c[cr + j * ccs] = tmp[t + j];
                else for (int j = 0; j < nr; j++) c[cr + j * ccs] = alpha * tmp[t + j];
            }
        }
    }

    /** C[off..] += s, as the float one. */
    private static void addTo(DoubleVector s, double[] c, int off) {
        s.add(DoubleVector.fromArray(DS, c, off)).intoArray(c, off);
    }
}
