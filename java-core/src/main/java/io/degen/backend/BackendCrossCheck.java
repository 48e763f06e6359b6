package io.degen.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs every {@link Backend} operation on a candidate engine and on {@link JavaBackend} with the same
 * inputs, and reports the largest difference per operation and dtype. Used by the GPU check and the
 * CUDA test (through the Backend interface only, so it compiles without any native bindings). Shapes
 * are odd, offsets and leading dimensions are padded, so index mistakes show up.
 *
 * <p>The relative error is max|cand - ref| / max(1, max|ref|). Tolerances: float32 1e-4 (GEMM sums
 * in a different order; tanh differs in the last bits), float64 1e-10.
 */
public final class BackendCrossCheck {
    private BackendCrossCheck() { }

    /** One comparison: op name, dtype, largest absolute and relative difference, tolerance, verdict. */
    public record Result(String op, DType dtype, double maxAbs, double maxRel, double tol, boolean ok) {
        @Override public String toString() {
            return String.format(java.util.Locale.ROOT, "%s/%s abs=%.3g rel=%.3g tol=%.1g %s", op, dtype, maxAbs, maxRel, tol, ok ? "ok" : "FAIL");
        }
    }

    public static boolean allOk(List<Result> rs) {
        for (Result r : rs) if (!r.ok()) return false;
        return true;
    }

    /** Every op of {@code cand} against the reference engine {@code ref} (the java engine). */
    public static List<Result> run(Backend ref, Backend cand) {
        List<Result> out = new ArrayList<>();
        for (DType t : DType.values()) new Run(ref, cand, t, out).all();
        return out;
    }

    private static final class Run {
        final Backend ref, cand;
        final DType t;
        final List<Result> out;
        final SplittableRandom rng = new SplittableRandom(20261128);
        final double tol;

        Run(Backend ref, Backend cand, DType t, List<Result> out) {
            this.ref = ref; this.cand = cand; this.t = t; this.out = out;
            this.tol = t == DType.F32 ? 1e-4 : 1e-10;
        }

        double[] rand(int n) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) d[i] = 2 * rng.nextDouble() - 1;
            if (t == DType.F32) for (int i = 0; i < n; i++) d[i] = (float) d[i];
            return d;
        }

        /** The same numbers on both engines. */
        Buf[] pair(double[] d) {
            Buf a = ref.alloc(t, d.length), b = cand.alloc(t, d.length);
            ref.write(a, 0, d, 0, d.length);
            cand.write(b, 0, d, 0, d.length);
            return new Buf[] {a, b};
        }

        void compare(String op, Buf[] p) { compare(op, ref.toDoubles(p[0]), cand.toDoubles(p[1])); }

        void compare(String op, double[] r, double[] c) {
            double abs = 0, scale = 1;
            for (int i = 0; i < r.length; i++) {
                double e = Math.abs(r[i] - c[i]);
                if (Double.isNaN(e)) e = Double.isNaN(r[i]) && Double.isNaN(c[i]) ? 0 : Double.POSITIVE_INFINITY;
                abs = Math.max(abs, e);
                if (Double.isFinite(r[i])) scale = Math.max(scale, Math.abs(r[i]));
            }
            double rel = abs / scale;
            out.add(new Result(op, t, abs, rel, tol, rel <= tol));
        }

        void close(Buf[]... ps) { for (Buf[] p : ps) { p[0].close(); p[1].close(); } }

        void all() {
            storage();
            for (boolean ta : new boolean[] {false, true}) for (boolean tb : new boolean[] {false, true}) gemm(ta, tb);
            gemmBatched();
            elementwise();
            reductions();
            adam();
        }

        void storage() {
            double[] d = rand(50);
            Buf[] p = pair(d);
            cand.fill(p[1], 3, 7, 0.25); ref.fill(p[0], 3, 7, 0.25);
            cand.copy(p[1], 20, p[1], 40, 5); ref.copy(p[0], 20, p[0], 40, 5);
            double[] w = rand(6);
            cand.write(p[1], 11, w, 2, 4); ref.write(p[0], 11, w, 2, 4);
            compare("write/fill/copy", p);
            double[] r = new double[9], c = new double[9];
            ref.download(p[0], 9, r, 1, 8); cand.download(p[1], 9, c, 1, 8);
            compare("download(offset)", r, c);
            Buf u = t == DType.F32 ? cand.upload(toFloats(d)) : cand.upload(d);
            compare("upload", d, cand.toDoubles(u));
            u.close();
            close(p);
        }

        void gemm(boolean ta, boolean tb) {
            int m = 37, n = 29, k = 41, pad = 3;
            int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
            int aRows = ta ? k : m, bRows = tb ? n : k;
            Buf[] a = pair(rand(5 + aRows * lda)), b = pair(rand(7 + bRows * ldb)), c = pair(rand(2 + m * ldc));
            ref.gemm(ta, tb, m, n, k, 0.7, a[0], 5, lda, b[0], 7, ldb, 0.3, c[0], 2, ldc);
            cand.gemm(ta, tb, m, n, k, 0.7, a[1], 5, lda, b[1], 7, ldb, 0.3, c[1], 2, ldc);
            compare("gemm(" + (ta ? "T" : "N") + (tb ? "T" : "N") + ")", c);
            ref.gemm(ta, tb, m, n, k, 1, a[0], 5, lda, b[0], 7, ldb, 0, c[0], 2, ldc);
            cand.gemm(ta, tb, m, n, k, 1, a[1], 5, lda, b[1], 7, ldb, 0, c[1], 2, ldc);
            compare("gemm(" + (ta ? "T" : "N") + (tb ? "T" : "N") + ",beta=0)", c);
            close(a, b, c);
        }

        void gemmBatched() {
            int m = 13, n = 17, k = 19, count = 3;
            for (boolean ta : new boolean[] {false, true}) {
                boolean tb = !ta;
                int lda = ta ? m : k, ldb = tb ? k : n, ldc = n;
                int sa = m * k + 4, sb = k * n + 2, sc = m * n + 1;
                Buf[] a = pair(rand(1 + sa * count)), b = pair(rand(sb * count)), c = pair(rand(3 + sc * count));
                ref.gemmBatched(ta, tb, m, n, k, 1.5, a[0], 1, lda, sa, b[0], 0, ldb, sb, 0.5, c[0], 3, ldc, sc, count);
                cand.gemmBatched(ta, tb, m, n, k, 1.5, a[1], 1, lda, sa, b[1], 0, ldb, sb, 0.5, c[1], 3, ldc, sc, count);
                compare("gemmBatched(" + (ta ? "T" : "N") + (tb ? "T" : "N") + ")", c);
                close(a, b, c);
            }
        }

        void elementwise() {
            int n = 1003;
            Buf[] x = pair(rand(n + 10)), y = pair(rand(n + 10));
            ref.axpby(n, 0.3, x[0], 4, -1.2, y[0], 7); cand.axpby(n, 0.3, x[1], 4, -1.2, y[1], 7);
            compare("axpby", y);
            int rows = 31, cols = 29;
            Buf[] c = pair(rand(2 + rows * cols)), bias = pair(rand(cols + 5));
            ref.addRowVector(c[0], 2, rows, cols, bias[0], 5); cand.addRowVector(c[1], 2, rows, cols, bias[1], 5);
            compare("addRowVector", c);
            Buf[] s = pair(rand(cols + 1));
            ref.sumRows(c[0], 2, rows, cols, 0.5, s[0], 1); cand.sumRows(c[1], 2, rows, cols, 0.5, s[1], 1);
            compare("sumRows(beta=0.5)", s);
            ref.sumRows(c[0], 2, rows, cols, 0, s[0], 1); cand.sumRows(c[1], 2, rows, cols, 0, s[1], 1);
            compare("sumRows(beta=0)", s);
            double[] big = rand(n + 10);
            for (int i = 0; i < big.length; i++) big[i] *= 6;
            Buf[] z = pair(big), h = pair(new double[n + 10]);
            ref.tanh(z[0], 3, h[0], 5, n); cand.tanh(z[1], 3, h[1], 5, n);
            compare("tanh", h);
            ref.tanh(z[0], 0, z[0], 0, n); cand.tanh(z[1], 0, z[1], 0, n);
            compare("tanh(in place)", z);
            Buf[] g = pair(rand(n + 10)), o = pair(rand(n + 10));
            ref.tanhBackward(g[0], 1, h[0], 5, o[0], 2, n); cand.tanhBackward(g[1], 1, h[1], 5, o[1], 2, n);
            compare("tanhBackward", o);
            ref.mul(g[0], 3, x[0], 1, o[0], 0, n); cand.mul(g[1], 3, x[1], 1, o[1], 0, n);
            compare("mul", o);
            double[] wd = rand(n + 10);
            for (int i = 0; i < wd.length; i += 7) wd[i] = 0;
            Buf[] w = pair(wd);
            ref.addSign(w[0], 2, 0.01, g[0], 4, n); cand.addSign(w[1], 2, 0.01, g[1], 4, n);
            compare("addSign", g);
            close(x, y, c, bias, s, z, h, g, o, w);
        }

        void reductions() {
            int n = 100_003;
            double[] md = new double[n];
            for (int i = 0; i < n; i++) md[i] = rng.nextDouble() < 0.7 ? 1 : 0;
            Buf[] y = pair(rand(n)), tg = pair(rand(n)), mk = pair(md), dy = pair(new double[n]);
            double r = ref.maskedSquaredError(y[0], tg[0], mk[0], n, 2.0 / n, dy[0]);
            double c = cand.maskedSquaredError(y[1], tg[1], mk[1], n, 2.0 / n, dy[1]);
            compare("maskedSquaredError(sum)", new double[] {r}, new double[] {c});
            compare("maskedSquaredError(dy)", dy);
            compare("sumSquares", new double[] {ref.sumSquares(y[0], 5, n - 9)}, new double[] {cand.sumSquares(y[1], 5, n - 9)});
            compare("sumAbs", new double[] {ref.sumAbs(y[0], 3, n - 3)}, new double[] {cand.sumAbs(y[1], 3, n - 3)});
            close(y, tg, mk, dy);
        }

        void adam() {
            int n = 777;
            Buf[] p = pair(rand(n)), m = pair(new double[n]), v = pair(new double[n]);
            for (int step = 1; step <= 3; step++) {
                Buf[] g = pair(rand(n));
                double bc1 = 1 - Math.pow(0.9, step), bc2 = 1 - Math.pow(0.999, step);
                ref.adam(p[0], g[0], m[0], v[0], n, 1e-2, 0.9, 0.999, 1e-8, bc1, bc2);
                cand.adam(p[1], g[1], m[1], v[1], n, 1e-2, 0.9, 0.999, 1e-8, bc1, bc2);
                close(g);
            }
            compare("adam(params)", p);
            compare("adam(m)", m);
            compare("adam(v)", v);
            close(p, m, v);
        }
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
