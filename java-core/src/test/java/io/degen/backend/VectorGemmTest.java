package io.degen.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernel itself (below {@link JavaBackend#gemm}), checked against a naive triple loop in double over
 * many odd shapes: every edge-tile combination (m mod 4, n mod 2 vectors), depths across the
 * {@link VectorGemm#KC} panel boundary, widths across {@link VectorGemm#NC}, narrow shapes that take the
 * transposed route, A and B read transposed through strides, offsets, leading dimensions wider than a
 * row, alpha != 1, C accumulating or overwritten (beta = 0). Entries of the arrays outside the C block must stay untouched.
 */
class VectorGemmTest {

    /** {m, n, k, transposed A (0/1), padded (0/1), transposed B (0/1)}. */
    private static List<int[]> shapes() {
        List<int[]> s = new ArrayList<>();
        int[] small = {1, 2, 3, 5, 6, 7, 8, 9, 12, 13, 16, 17, 23, 31, 33, 47, 64, 70};
        Random r = new Random(11);
        for (int m : small) {
            for (int n : small) s.add(new int[] {m, n, 1 + r.nextInt(70), r.nextInt(2), r.nextInt(2), r.nextInt(2)});
        }
        for (int i = 0; i < 300; i++) {
            s.add(new int[] {1 + r.nextInt(70), 1 + r.nextInt(70), 1 + r.nextInt(70), r.nextInt(2), r.nextInt(2),
                r.nextInt(2)});
        }
        for (int t = 0; t < 8; t++) {  // narrow shapes (the transposed route), as an RNN read-out
            s.add(new int[] {300 + t, 1 + t % 4, 40 + t, t & 1, (t >> 1) & 1, (t >> 2) & 1});
            s.add(new int[] {1 + t % 4, 300 + t, 40 + t, t & 1, (t >> 1) & 1, (t >> 2) & 1});
        }
        int kc = VectorGemm.KC, nc = VectorGemm.NC;
        for (int k : new int[] {kc - 1, kc, kc + 1, 2 * kc + 3}) {
            for (int t = 0; t < 2; t++) {
                s.add(new int[] {13, 37, k, t, 1});
                s.add(new int[] {6, 16, k, t, 0});
                s.add(new int[] {1, 3, k, t, 1});
            }
        }
        for (int n : new int[] {nc - 1, nc, nc + 1, nc + 21, 2 * nc + 40}) {
            s.add(new int[] {7, n, 19, 0, 1});
            s.add(new int[] {12, n, kc + 9, 1, 0});
        }
        s.add(new int[] {64, 128, 128, 0, 0});
        s.add(new int[] {128, 128, 600, 1, 0});
        s.add(new int[] {400, 20, 3, 0, 1});
        return s;
    }

    private static final double[] ALPHAS = {1, -0.5, 2.25};

    @Test
    void sgemmMatchesNaiveLoop() {
        run(true);
    }

    @Test
    void dgemmMatchesNaiveLoop() {
        run(false);
    }

    @Test
    void emptyShapes() {
        float[] c = {1, 2, 3, 4};
        VectorGemm.sgemm(2, 2, 0, 1f, new float[0], 0, 0, 1, new float[0], 0, 2, 1, c, 0, 2, false);
        VectorGemm.sgemm(0, 2, 3, 1f, new float[0], 0, 3, 1, new float[6], 0, 2, 1, c, 0, 2, false);
        assertEquals(List.of(1f, 2f, 3f, 4f), List.of(c[0], c[1], c[2], c[3]));
        double[] d = {1, 2, 3, 4};
        VectorGemm.dgemm(2, 0, 3, 1, new double[6], 0, 3, 1, new double[0], 0, 0, 1, d, 0, 2, false);
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0), List.of(d[0], d[1], d[2], d[3]));
        VectorGemm.dgemm(1, 2, 0, 1, new double[0], 0, 0, 1, new double[0], 0, 2, 1, d, 1, 2, true);  // beta = 0, k = 0
        assertEquals(List.of(1.0, 0.0, 0.0, 4.0), List.of(d[0], d[1], d[2], d[3]));
    }

    /**
     * C = A B and C^T = B^T A^T computed as separate calls agree bit for bit: each element's sum does not
     * depend on the orientation the kernel picks (narrow shapes are computed transposed).
     */
    @Test
    void resultDoesNotDependOnOrientation() {
        Random r = new Random(8);
        int[][] shapes = {{300, 3, 128}, {64, 128, 128}, {7, 70, 300}, {128, 9, 600}, {1, 1, 5}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = new float[m * k], b = new float[k * n], c0 = new float[m * n];
            double[] ad = new double[m * k], bd = new double[k * n], cd0 = new double[m * n];
            for (int i = 0; i < a.length; i++) ad[i] = a[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) bd[i] = b[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < c0.length; i++) cd0[i] = c0[i] = r.nextFloat() - 0.5f;
            float[] c = c0.clone(), ct = new float[n * m];
            double[] cd = cd0.clone(), cdt = new double[n * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) { ct[j * m + i] = c0[i * n + j]; cdt[j * m + i] = cd0[i * n + j]; }
            }
            VectorGemm.sgemm(m, n, k, 0.3f, a, 0, k, 1, b, 0, n, 1, c, 0, n, false);
            VectorGemm.sgemm(n, m, k, 0.3f, b, 0, 1, n, a, 0, 1, k, ct, 0, m, false);  // B^T A^T
            VectorGemm.dgemm(m, n, k, 0.3, ad, 0, k, 1, bd, 0, n, 1, cd, 0, n, false);
            VectorGemm.dgemm(n, m, k, 0.3, bd, 0, 1, n, ad, 0, 1, k, cdt, 0, m, false);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(c[i * n + j], ct[j * m + i], "f32 " + m + "x" + n + "x" + k);
                    assertEquals(cd[i * n + j], cdt[j * m + i], "f64 " + m + "x" + n + "x" + k);
                }
            }
        }
    }

    private static void run(boolean f32) {
        Random r = new Random(f32 ? 5 : 6);
        int count = 0;
        for (int[] s : shapes()) {
            double alpha = ALPHAS[count++ % ALPHAS.length];
            check(r, f32, s[0], s[1], s[2], s[3] == 1, s.length > 5 && s[5] == 1, s[4] == 1, alpha, count % 4 == 0);
        }
    }

    /** With overwrite, C's block starts as NaN, which must not reach the result (beta = 0). */
    private static void check(Random r, boolean f32, int m, int n, int k, boolean tA, boolean tB, boolean padded,
                              double alpha, boolean overwrite) {
        int aOff = padded ? 1 + r.nextInt(7) : 0, bOff = padded ? 1 + r.nextInt(7) : 0;
        int cOff = padded ? 1 + r.nextInt(7) : 0;
        int pad = padded ? 1 + r.nextInt(5) : 0;
        // stored A is m x k (row length k + pad) or, transposed, k x m (row length m + pad)
        int aRowLen = (tA ? m : k) + pad, aRows = tA ? k : m;
        int lda = tA ? 1 : aRowLen, sp = tA ? aRowLen : 1;
        // stored B is k x n or, transposed, n x k
        int bRowLen = (tB ? k : n) + pad, bRows = tB ? n : k;
        int ldb = tB ? 1 : bRowLen, sb = tB ? bRowLen : 1;
        int ldc = n + (padded ? 1 + r.nextInt(4) : 0);
        double[] a = rand(r, aOff + aRows * aRowLen + 3, f32);
        double[] b = rand(r, bOff + bRows * bRowLen + 3, f32);
        double[] c = rand(r, cOff + m * ldc + 3, f32);
        if (overwrite) {
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[cOff + i * ldc + j] = Double.NaN;
        }
        double[] ref = c.clone();
        double[] bound = new double[c.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, abs = 0;
                for (int p = 0; p < k; p++) {
                    double v = a[aOff + i * lda + p * sp] * b[bOff + p * ldb + j * sb];
                    s += v;
                    abs += Math.abs(v);
                }
                int ci = cOff + i * ldc + j;
                double c0 = overwrite ? 0 : c[ci];
                ref[ci] = c0 + alpha * s;
                bound[ci] = (k + 4) * (Math.abs(alpha) * abs + Math.abs(c0)) * (f32 ? 0x1p-23 : 0x1p-52);
            }
        }
        double[] got;
        if (f32) {
            float[] af = toF(a), bf = toF(b), cf = toF(c);
            VectorGemm.sgemm(m, n, k, (float) alpha, af, aOff, lda, sp, bf, bOff, ldb, sb, cf, cOff, ldc, overwrite);
            got = new double[cf.length];
            for (int i = 0; i < cf.length; i++) got[i] = cf[i];
        } else {
            got = c.clone();
            VectorGemm.dgemm(m, n, k, alpha, a, aOff, lda, sp, b, bOff, ldb, sb, got, cOff, ldc, overwrite);
        }
        String what = String.format("%s %dx%dx%d%s%s%s alpha=%s%s", f32 ? "sgemm" : "dgemm", m, n, k,
                tA ? " A^T" : "", tB ? " B^T" : "", padded ? " padded" : "", alpha, overwrite ? " overwrite" : "");
        for (int x = 0; x < c.length; x++) {
            int i = x - cOff < 0 ? -1 : (x - cOff) / ldc, j = x - cOff < 0 ? -1 : (x - cOff) % ldc;
            boolean inside = i >= 0 && i < m && j < n;
            if (!inside) {
                assertEquals(c[x], got[x], what + ": element " + x + " outside C was written");
            } else {
                double err = Math.abs(got[x] - ref[x]);
                if (!(err <= bound[x])) {
                    throw new AssertionError(what + ": C(" + i + "," + j + ") = " + got[x] + " vs " + ref[x]);
                }
            }
        }
    }

    private static double[] rand(Random r, int len, boolean f32) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) x[i] = f32 ? (float) (r.nextDouble() * 2 - 1) : r.nextDouble() * 2 - 1;
        return x;
    }

    private static float[] toF(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }
}
