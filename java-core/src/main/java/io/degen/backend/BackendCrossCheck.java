package io.degen.backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;

/**
 * Runs every {@link Backend} operation on a candidate engine and on a reference engine (the Java
 * engine) with the same inputs, and reports the difference per operation and dtype. Used by the GPU
 * check and the CUDA tests (through the Backend interface only, so it compiles without any native
 * bindings). Shapes are odd, offsets and leading dimensions are padded, so index mistakes show up.
 *
 * <p><b>Errors.</b> Each comparison covers the whole output buffer (so a write outside the block
 * shows up) and reports two relative errors, both against the reference: the norm-relative error
 * {@code ||cand - ref||_2 / ||ref||_2} and the largest element error over the largest reference
 * magnitude {@code max|cand - ref| / max|ref|}. Neither has a floor of 1, so an output of small values
 * (a loss gradient of 1e-5) that a kernel leaves at zero fails like any other. A NaN on one side only
 * is an infinite error; NaN on both sides is agreement. When the reference is all zero the errors
 * are absolute. A comparison passes when both are at most the dtype's tolerance: float32
 * {@value #TOL_F32} (GEMM sums in another order, tanh differs in the last bits), float64
 * {@value #TOL_F64}.
 *
 * <p><b>Write-only outputs</b> (GEMM C with beta = 0, transpose, tanh, tanhBackward, mul, the loss
 * gradient) start as NaN on both engines, so an element the candidate never writes stays NaN there
 * and fails, whatever its expected value.
 *
 * <p><b>Coverage.</b> Storage ops; gemm in all four transpose combinations with padded leading
 * dimensions and offsets, {@code beta} 0 (over NaN) and not 0, {@code k = 0}, and a 128 x 128 x 128
 * product; strided-batched GEMM; {@code gemmAll} with several networks (six same-shape products on
 * separate buffers, as a lockstep group issues them, one group sharing an operand buffer, one of
 * mixed shapes, an empty group); {@code transpose}; the element-wise ops, the reductions and Adam,
 * each also at a size past the grid-stride limits of a GPU launch (more elements than
 * {@value #GRID_STRIDE} = 4096 blocks x 256 threads; reductions past 1024 x 256); and the same
 * sequence of ops on {@value #THREADS} threads at once.
 */
public final class BackendCrossCheck {
    private BackendCrossCheck() { }

    public static final double TOL_F32 = 1e-5, TOL_F64 = 1e-11;
    /** Elements one element-wise launch of the CUDA engine covers before its grid-stride loop wraps. */
    public static final int GRID_STRIDE = 4096 * 256;
    /** Elements one reduction launch covers before its grid-stride loop wraps. */
    public static final int REDUCE_STRIDE = 1024 * 256;
    public static final int THREADS = 4;

    /**
     * One comparison: op name, dtype, largest absolute difference, norm-relative error, largest element
     * error relative to the largest reference magnitude, tolerance, verdict.
     */
    public record Result(String op, DType dtype, double maxAbs, double normRel, double maxRel, double tol, boolean ok) {
        /** The larger of the two relative errors (what the verdict is judged on). */
        public double rel() { return Math.max(normRel, maxRel); }

        @Override public String toString() {
            return String.format(java.util.Locale.ROOT, "%s/%s abs=%.3g normrel=%.3g maxrel=%.3g tol=%.1g %s",
                    op, dtype, maxAbs, normRel, maxRel, tol, ok ? "ok" : "FAIL");
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

    /** The comparison of two equally long arrays (see the class comment); public for the model checks. */
    public static Result compare(String op, DType t, double[] r, double[] c) {
        double tol = t == DType.F32 ? TOL_F32 : TOL_F64;
        if (r.length != c.length) return new Result(op + " (length " + c.length + " != " + r.length + ")", t,
                Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, tol, false);
        double abs = 0, scale = 0, diff2 = 0, ref2 = 0;
        for (int i = 0; i < r.length; i++) {
            boolean rn = Double.isNaN(r[i]), cn = Double.isNaN(c[i]);
            if (rn && cn) continue;
            double e = rn || cn ? Double.POSITIVE_INFINITY : Math.abs(r[i] - c[i]);
            if (Double.isNaN(e)) e = r[i] == c[i] ? 0 : Double.POSITIVE_INFINITY; // inf - inf
            abs = Math.max(abs, e);
            diff2 += e * e;
            if (Double.isFinite(r[i])) { scale = Math.max(scale, Math.abs(r[i])); ref2 += r[i] * r[i]; }
        }
        double normRel = ref2 > 0 ? Math.sqrt(diff2 / ref2) : Math.sqrt(diff2);
        double maxRel = scale > 0 ? abs / scale : abs;
        return new Result(op, t, abs, normRel, maxRel, tol, normRel <= tol && maxRel <= tol);
    }

    private static final class Run {
        final Backend ref, cand;
        final DType t;
        final List<Result> out;
        final SplittableRandom rng = new SplittableRandom(20261128);

        Run(Backend ref, Backend cand, DType t, List<Result> out) {
            this.ref = ref; this.cand = cand; this.t = t; this.out = out;
        }

        double[] rand(int n) { return rand(rng, n); }

        double[] rand(SplittableRandom r, int n) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) d[i] = 2 * r.nextDouble() - 1;
            if (t == DType.F32) for (int i = 0; i < n; i++) d[i] = (float) d[i];
            return d;
        }

        static double[] nan(int n) {
            double[] d = new double[n];
            java.util.Arrays.fill(d, Double.NaN);
            return d;
        }

        /** The same numbers on both engines. */
        Buf[] pair(double[] d) {
            Buf a = ref.alloc(t, d.length), b = cand.alloc(t, d.length);
            ref.write(a, 0, d, 0, d.length);
            cand.write(b, 0, d, 0, d.length);
            return new Buf[] {a, b};
        }

        /** A write-only output: NaN on both engines. */
        Buf[] nanPair(int n) { return pair(nan(n)); }

        void compare(String op, Buf[] p) { compare(op, ref.toDoubles(p[0]), cand.toDoubles(p[1])); }

        void compare(String op, double[] r, double[] c) { out.add(BackendCrossCheck.compare(op, t, r, c)); }

        void scalar(String op, double r, double c) { compare(op, new double[] {r}, new double[] {c}); }

        void close(Buf[]... ps) { for (Buf[] p : ps) { p[0].close(); p[1].close(); } }

        void all() {
            storage();
            for (boolean ta : new boolean[] {false, true}) for (boolean tb : new boolean[] {false, true}) gemm(ta, tb);
            gemmEdges();
            gemmBatched();
            gemmAll();
            transpose();
            elementwise(1003, "");
            elementwise(GRID_STRIDE + 4099, "[n>grid-stride]");
            reductions(100_003, "");
            reductions(REDUCE_STRIDE + 37_813, "[n>grid-stride]");
            adam(777, 3, "");
            adam(GRID_STRIDE + 3001, 2, "[n>grid-stride]");
            threads();
        }

        void storage() {
            double[] d = rand(50);
            Buf[] p = pair(d);
            cand.fill(p[1], 3, 7, 0.25); ref.fill(p[0], 3, 7, 0.25);
            cand.copy(p[1], 20, p[1], 40, 5); ref.copy(p[0], 20, p[0], 40, 5);
            double[] w = rand(6);
            cand.write(p[1], 11, w, 2, 4); ref.write(p[0], 11, w, 2, 4);
            compare("write/fill/copy", p);
            double[] r = nan(9), c = nan(9);
            ref.download(p[0], 9, r, 1, 8); cand.download(p[1], 9, c, 1, 8);
            compare("download(offset)", r, c);
            Buf u = t == DType.F32 ? cand.upload(toFloats(d)) : cand.upload(d);
            compare("upload", d, cand.toDoubles(u));
            u.close();
            close(p);
            int n = GRID_STRIDE + 777;
            Buf[] big = nanPair(n + 8);
            ref.fill(big[0], 5, n, -0.75); cand.fill(big[1], 5, n, -0.75);
            compare("fill[n>grid-stride]", big);
            Buf z = cand.alloc(t, 1000);
            compare("alloc(zero-filled)", new double[1000], cand.toDoubles(z));
            z.close();
            close(big);
        }

        /** C starts as NaN where beta is 0 (it must only be written), else as random numbers. */
        void gemmCase(String name, boolean ta, boolean tb, int m, int n, int k, double alpha, double beta, int aOff, int bOff, int cOff, int pad) {
            int lda = Math.max(1, (ta ? m : k) + pad), ldb = Math.max(1, (tb ? k : n) + pad), ldc = n + pad;
            int aRows = ta ? k : m, bRows = tb ? n : k;
            Buf[] a = pair(rand(aOff + aRows * lda + 2)), b = pair(rand(bOff + bRows * ldb + 2));
            int cn = cOff + m * ldc + 3;
            Buf[] c = beta == 0 ? nanPair(cn) : pair(rand(cn));
            ref.gemm(ta, tb, m, n, k, alpha, a[0], aOff, lda, b[0], bOff, ldb, beta, c[0], cOff, ldc);
            cand.gemm(ta, tb, m, n, k, alpha, a[1], aOff, lda, b[1], bOff, ldb, beta, c[1], cOff, ldc);
            compare(name, c);
            close(a, b, c);
        }

        void gemm(boolean ta, boolean tb) {
            String tt = (ta ? "T" : "N") + (tb ? "T" : "N");
            gemmCase("gemm(" + tt + ")", ta, tb, 37, 29, 41, 0.7, 0.3, 5, 7, 2, 3);
            gemmCase("gemm(" + tt + ",beta=0 over NaN)", ta, tb, 37, 29, 41, 1, 0, 5, 7, 2, 3);
        }

        void gemmEdges() {
            gemmCase("gemm(NN,k=0,beta=0.5)", false, false, 9, 11, 0, 1, 0.5, 1, 2, 3, 2);
            gemmCase("gemm(TN,k=0,beta=0 over NaN)", true, false, 9, 11, 0, 1, 0, 1, 2, 3, 0);
            gemmCase("gemm(NN,1x1x1)", false, false, 1, 1, 1, 1.25, -0.5, 0, 0, 0, 0);
            gemmCase("gemm(NT,128x128x128,beta=0 over NaN)", false, true, 128, 128, 128, 1, 0, 0, 0, 0, 0);
            gemmCase("gemm(NN,m=1,n=200,k=64)", false, false, 1, 200, 64, 1, 1, 3, 0, 1, 1);
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
                Buf[] z = nanPair(3 + sc * count);
                ref.gemmBatched(ta, tb, m, n, k, 1, a[0], 1, lda, sa, b[0], 0, ldb, sb, 0, z[0], 3, ldc, sc, count);
                cand.gemmBatched(ta, tb, m, n, k, 1, a[1], 1, lda, sa, b[1], 0, ldb, sb, 0, z[1], 3, ldc, sc, count);
                compare("gemmBatched(" + (ta ? "T" : "N") + (tb ? "T" : "N") + ",beta=0 over NaN)", z);
                close(a, b, c, z);
            }
        }

        /** gemmAll groups: what a lockstep group of networks issues per time step, and harder ones. */
        void gemmAll() {
            // six networks, one product each, on separate buffers (forward step: h W_hh^T, batch 8, hidden 24)
            int nets = 6, bsz = 8, h = 24;
            List<Buf[]> as = new ArrayList<>(), bs = new ArrayList<>(), cs = new ArrayList<>();
            GemmOp[] r = new GemmOp[nets + 1], c = new GemmOp[nets + 1];
            for (int i = 0; i < nets; i++) {
                Buf[] a = pair(rand(3 * bsz * h)), b = pair(rand(h * h)), x = i % 2 == 0 ? nanPair(2 * bsz * h) : pair(rand(2 * bsz * h));
                double beta = i % 2 == 0 ? 0 : 1;
                r[i] = new GemmOp(false, false, bsz, h, h, 1, a[0], bsz * h, h, b[0], 0, h, beta, x[0], bsz * h, h);
                c[i] = new GemmOp(false, false, bsz, h, h, 1, a[1], bsz * h, h, b[1], 0, h, beta, x[1], bsz * h, h);
                as.add(a); bs.add(b); cs.add(x);
            }
            ref.gemmAll(r, nets); cand.gemmAll(c, nets);
            for (int i = 0; i < nets; i++) compare("gemmAll(6 networks)[" + i + "]", cs.get(i));
            // an empty group changes nothing
            ref.gemmAll(r, 0); cand.gemmAll(c, 0);
            compare("gemmAll(empty group)", cs.get(1));
            for (int i = 0; i < nets; i++) close(as.get(i), bs.get(i), cs.get(i));

            // four products that share one A and one B buffer (different offsets) and write into one C buffer
            int m = 7, n = 9, k = 5, cnt = 4;
            Buf[] a = pair(rand(cnt * m * k + 3)), b = pair(rand(cnt * k * n + 1)), x = nanPair(cnt * (m * n + 2));
            for (int i = 0; i < cnt; i++) {
                boolean ta = i % 2 == 1, tb = i >= 2;
                int lda = ta ? m : k, ldb = tb ? k : n;
                r[i] = new GemmOp(ta, tb, m, n, k, 0.5 + i, a[0], 3 + i * m * k, lda, b[0], 1 + i * k * n, ldb, 0, x[0], i * (m * n + 2), n);
                c[i] = new GemmOp(ta, tb, m, n, k, 0.5 + i, a[1], 3 + i * m * k, lda, b[1], 1 + i * k * n, ldb, 0, x[1], i * (m * n + 2), n);
            }
            ref.gemmAll(r, cnt); cand.gemmAll(c, cnt);
            compare("gemmAll(shared buffers, mixed transposes)", x);
            close(a, b, x);

            // mixed shapes in one group (the backward pass's last step has fewer products than networks)
            int[][] shapes = {{3, 5, 7}, {16, 16, 16}, {1, 33, 2}};
            List<Buf[]> all = new ArrayList<>();
            for (int i = 0; i < shapes.length; i++) {
                int mm = shapes[i][0], nn = shapes[i][1], kk = shapes[i][2];
                Buf[] aa = pair(rand(mm * kk)), bb = pair(rand(kk * nn)), cc = pair(rand(mm * nn));
                r[i] = new GemmOp(false, true, mm, nn, kk, 1, aa[0], 0, kk, bb[0], 0, kk, -0.5, cc[0], 0, nn);
                c[i] = new GemmOp(false, true, mm, nn, kk, 1, aa[1], 0, kk, bb[1], 0, kk, -0.5, cc[1], 0, nn);
                all.add(aa); all.add(bb); all.add(cc);
            }
            ref.gemmAll(r, shapes.length); cand.gemmAll(c, shapes.length);
            for (int i = 0; i < shapes.length; i++) compare("gemmAll(mixed shapes)[" + i + "]", all.get(3 * i + 2));
            for (Buf[] p : all) close(p);
        }

        void transpose() {
            int[][] shapes = {{1, 1}, {37, 53}, {128, 128}, {3, 200}, {200, 3}};
            for (int[] s : shapes) {
                int rows = s[0], cols = s[1], aOff = 5, oOff = 3;
                Buf[] a = pair(rand(aOff + rows * cols + 2)), o = nanPair(oOff + rows * cols + 4);
                ref.transpose(a[0], aOff, rows, cols, o[0], oOff);
                cand.transpose(a[1], aOff, rows, cols, o[1], oOff);
                compare("transpose(" + rows + "x" + cols + ")", o);
                close(a, o);
            }
        }

        void elementwise(int n, String tag) {
            Buf[] x = pair(rand(n + 10)), y = pair(rand(n + 10));
            ref.axpby(n, 0.3, x[0], 4, -1.2, y[0], 7); cand.axpby(n, 0.3, x[1], 4, -1.2, y[1], 7);
            compare("axpby" + tag, y);
            int cols = n > 100_000 ? 1031 : 29, rows = n / cols; // sumRows adds `rows` floats: keep that short
            Buf[] c = pair(rand(2 + rows * cols)), bias = pair(rand(cols + 5));
            ref.addRowVector(c[0], 2, rows, cols, bias[0], 5); cand.addRowVector(c[1], 2, rows, cols, bias[1], 5);
            compare("addRowVector" + tag, c);
            Buf[] s = pair(rand(cols + 1));
            ref.sumRows(c[0], 2, rows, cols, 0.5, s[0], 1); cand.sumRows(c[1], 2, rows, cols, 0.5, s[1], 1);
            compare("sumRows(beta=0.5)" + tag, s);
            ref.sumRows(c[0], 2, rows, cols, 0, s[0], 1); cand.sumRows(c[1], 2, rows, cols, 0, s[1], 1);
            compare("sumRows(beta=0)" + tag, s);
            double[] big = rand(n + 10);
            for (int i = 0; i < big.length; i++) big[i] *= 6;
            Buf[] z = pair(big), h = nanPair(n + 10);
            ref.tanh(z[0], 3, h[0], 5, n); cand.tanh(z[1], 3, h[1], 5, n);
            compare("tanh" + tag, h);
            ref.tanh(z[0], 0, z[0], 0, n); cand.tanh(z[1], 0, z[1], 0, n);
            compare("tanh(in place)" + tag, z);
            Buf[] g = pair(rand(n + 10)), o = nanPair(n + 10);
            ref.tanhBackward(g[0], 1, h[0], 5, o[0], 2, n); cand.tanhBackward(g[1], 1, h[1], 5, o[1], 2, n);
            compare("tanhBackward" + tag, o);
            Buf[] o2 = nanPair(n + 10);
            ref.mul(g[0], 3, x[0], 1, o2[0], 0, n); cand.mul(g[1], 3, x[1], 1, o2[1], 0, n);
            compare("mul" + tag, o2);
            double[] wd = rand(n + 10);
            for (int i = 0; i < wd.length; i += 7) wd[i] = 0;
            Buf[] w = pair(wd);
            ref.addSign(w[0], 2, 0.01, g[0], 4, n); cand.addSign(w[1], 2, 0.01, g[1], 4, n);
            compare("addSign" + tag, g);
            close(x, y, c, bias, s, z, h, g, o, o2, w);
        }

        void reductions(int n, String tag) {
            double[] md = new double[n];
            for (int i = 0; i < n; i++) md[i] = rng.nextDouble() < 0.7 ? 1 : 0;
            Buf[] y = pair(rand(n)), tg = pair(rand(n)), mk = pair(md), dy = nanPair(n);
            double r = ref.maskedSquaredError(y[0], tg[0], mk[0], n, 2.0 / n, dy[0]);
            double c = cand.maskedSquaredError(y[1], tg[1], mk[1], n, 2.0 / n, dy[1]);
            scalar("maskedSquaredError(sum)" + tag, r, c);
            compare("maskedSquaredError(dy)" + tag, dy);
            scalar("sumSquares" + tag, ref.sumSquares(y[0], 5, n - 9), cand.sumSquares(y[1], 5, n - 9));
            scalar("sumAbs" + tag, ref.sumAbs(y[0], 3, n - 3), cand.sumAbs(y[1], 3, n - 3));
            close(y, tg, mk, dy);
        }

        void adam(int n, int steps, String tag) {
            Buf[] p = pair(rand(n)), m = pair(new double[n]), v = pair(new double[n]);
            for (int step = 1; step <= steps; step++) {
                double[] gd = rand(n);
                for (int i = 0; i < n; i += 5) gd[i] *= 1e-4; // small gradients: v of order 1e-11
                Buf[] g = pair(gd);
                double bc1 = 1 - Math.pow(0.9, step), bc2 = 1 - Math.pow(0.999, step);
                ref.adam(p[0], g[0], m[0], v[0], n, 1e-2, 0.9, 0.999, 1e-8, bc1, bc2);
                cand.adam(p[1], g[1], m[1], v[1], n, 1e-2, 0.9, 0.999, 1e-8, bc1, bc2);
                close(g);
            }
            compare("adam(params)" + tag, p);
            compare("adam(m)" + tag, m);
            compare("adam(v)" + tag, v);
            close(p, m, v);
        }

        /**
         * {@value #THREADS} threads at once, each running gemm, tanh, sumSquares, transpose and Adam on
         * its own buffers of the candidate (on CUDA: each thread its own stream and cuBLAS handle); the
         * reference runs the same work on one thread afterwards.
         */
        void threads() {
            int h = 64, bsz = 32, rounds = 5;
            double[][] aIn = new double[THREADS][], bIn = new double[THREADS][], gIn = new double[THREADS][];
            for (int w = 0; w < THREADS; w++) { aIn[w] = rand(bsz * h); bIn[w] = rand(h * h); gIn[w] = rand(h * h); }
            double[][][] got = new double[THREADS][][];
            double[][] gotSum = new double[THREADS][];
            Throwable[] fail = new Throwable[THREADS];
            CyclicBarrier start = new CyclicBarrier(THREADS);
            Thread[] ts = new Thread[THREADS];
            for (int w = 0; w < THREADS; w++) {
                final int wi = w;
                ts[w] = new Thread(() -> {
                    try {
                        start.await();
                        double[] sums = new double[rounds];
                        got[wi] = work(cand, aIn[wi], bIn[wi], gIn[wi], h, bsz, rounds, sums);
                        gotSum[wi] = sums;
                    } catch (Throwable e) {
                        fail[wi] = e;
                    }
                }, "crosscheck-" + w);
                ts[w].start();
            }
            for (Thread th : ts) {
                try { th.join(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new IllegalStateException(e); }
            }
            String[] names = {"states", "transpose", "params", "m", "v"};
            for (int w = 0; w < THREADS; w++) {
                String op = "threads(" + THREADS + ")[" + w + "]";
                if (fail[w] != null) {
                    out.add(new Result(op + " threw " + fail[w], t, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                            Double.POSITIVE_INFINITY, t == DType.F32 ? TOL_F32 : TOL_F64, false));
                    continue;
                }
                double[] sums = new double[rounds];
                double[][] exp = work(ref, aIn[w], bIn[w], gIn[w], h, bsz, rounds, sums);
                for (int i = 0; i < exp.length; i++) compare(op + " " + names[i], exp[i], got[w][i]);
                compare(op + " sumSquares", sums, gotSum[w]);
            }
        }

        /** A small recurrent loop: s = tanh(s W + a) repeatedly, then Adam on W with a fixed gradient. */
        double[][] work(Backend be, double[] a, double[] b, double[] g, int h, int bsz, int rounds, double[] sums) {
            Buf A = be.alloc(t, a.length), W = be.alloc(t, b.length), G = be.alloc(t, g.length), S = be.alloc(t, bsz * h),
                    WT = be.alloc(t, h * h), M = be.alloc(t, h * h), V = be.alloc(t, h * h);
            try {
                be.write(A, 0, a, 0, a.length); be.write(W, 0, b, 0, b.length); be.write(G, 0, g, 0, g.length);
                be.copy(A, 0, S, 0, bsz * h);
                for (int i = 0; i < rounds; i++) {
                    be.gemm(false, false, bsz, h, h, 1.0 / Math.sqrt(h), S, 0, h, W, 0, h, 1, A, 0, h);
                    be.tanh(A, 0, S, 0, bsz * h);
                    sums[i] = be.sumSquares(S, 0, bsz * h);
                    be.adam(W, G, M, V, h * h, 1e-2, 0.9, 0.999, 1e-8, 1 - Math.pow(0.9, i + 1), 1 - Math.pow(0.999, i + 1));
                }
                be.transpose(W, 0, h, h, WT, 0);
                return new double[][] {be.toDoubles(S), be.toDoubles(WT), be.toDoubles(W), be.toDoubles(M), be.toDoubles(V)};
            } finally {
                for (Buf x : new Buf[] {A, W, G, S, WT, M, V}) x.close();
            }
        }
    }

    /** Results that failed, as strings (for reports). */
    public static List<String> failures(List<Result> rs) {
        List<String> f = new ArrayList<>();
        for (Result r : rs) if (!r.ok()) f.add(r.toString());
        return Collections.unmodifiableList(f);
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
