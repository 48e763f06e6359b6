package io.degen.metrics.dsa;

import io.degen.backend.Backend;
import io.degen.backend.Buf;
import io.degen.backend.DType;
import io.degen.backend.Svd;
import io.degen.backend.SymmetricEig;
import io.degen.io.NdArray;
import io.degen.util.Mat;

import java.util.Arrays;

/**
 * HAVOK dynamic mode decomposition, as the DSA package fits it (principal-component regression):
 * <ol>
 *   <li>H = Hankel embedding of X ({@link DelayEmbedding}), (trials * R) x (n_delays * units);</li>
 *   <li>thin SVD H = V S W^T (V holds the time coordinates, one row per Hankel row);</li>
 *   <li>keep the first r columns V_r;</li>
 *   <li>least squares over all within-trial pairs: V_r[t+1] ~ V_r[t] X, with optional ridge
 *       lambda |X|^2; the operator is A_v = X^T, so v_{t+1} = A_v v_t.</li>
 * </ol>
 * The left singular vectors come from the backend's thin SVD for small Hankel matrices, and for
 * large ones (rows * cols^2 > 4e7, cols <= rows) from the r largest eigenpairs (the engine's
 * {@link Backend#eigSymmetric}) of the Gram matrix H^T H, itself assembled with the backend's GEMM from n_delays lagged covariances
 * ({@link #hankelGram}), followed by V_r = H W_r / s_r ({@link #hankelTimes}); H itself is built only on the SVD route. The Gram route is used only
 * when s_r / s_1 > 1e-6, where squaring the condition number loses nothing that matters;
 * otherwise the SVD is used. Each column of V_r is signed so that its largest-magnitude
 * entry is positive (the SVD's sign is arbitrary; DSA is invariant to it).
 */
public final class HavokDmd {
    /** Hankel matrices with rows * cols * min(rows, cols) up to this use the thin SVD directly. */
    static final double SVD_FLOPS_LIMIT = 4e7;
    /** The Gram route is trusted only when s_r / s_1 exceeds this. */
    static final double GRAM_MIN_RATIO = 1e-6;
    /** Below this s_r / s_1 the rank-r coordinates are numerically undefined. */
    static final double RANK_TOLERANCE = 1e-12;

    private HavokDmd() { }

    /**
     * Fits the rank-r HAVOK operator of trajectories {@code x} (trials, time, units) or (time, units).
     * {@code what} names the data in error messages (e.g. the file name).
     */
    public static Operator fit(Backend backend, NdArray x, DsaParams p, String what) {
        return fit(backend, x, p, what, null);
    }

    /** As above; {@code route} "svd" or "gram" forces a route (tests), null chooses by size. */
    static Operator fit(Backend backend, NdArray x, DsaParams p, String what, String route) {
        DelayEmbedding.Shape h = DelayEmbedding.shape(x, p.nDelays(), p.delayInterval(), what);
        int m = h.rows(), n = h.cols(), k = Math.min(m, n);
        int r = p.rank() == DsaParams.FULL_RANK ? k : p.rank();
        if (r > n) {
            throw new IllegalArgumentException("rank " + r + " exceeds n_delays * units = " + p.nDelays() + " * " + h.units()
                    + " = " + n + " for " + what);
        }
        if (r > m) {
            throw new IllegalArgumentException("rank " + r + " exceeds the " + m + " rows of the Hankel matrix of " + what
                    + " (trials * (time - (n_delays - 1) * delay_interval)); use more time steps or a smaller rank");
        }
        int pairs = h.trials() * (h.rowsPerTrial() - 1);
        if (p.ridge() == 0 && pairs < r) {
            throw new IllegalArgumentException("rank " + r + " needs at least " + r + " regression pairs but " + what + " gives "
                    + pairs + " (trials * (rows per trial - 1)); use more time steps, a smaller rank or a ridge");
        }

        double[] s;
        double[] v; // m x r, row-major
        String method;
        double work = (double) m * n * k;
        NdArray xt = DelayEmbedding.asTrials(x, what);
        boolean gramRoute = route != null ? route.equals("gram") && n <= m : work > SVD_FLOPS_LIMIT && n <= m;
        Gram g = gramRoute ? gram(backend, xt, h, r) : null;
        if (g != null && g.s[r - 1] > GRAM_MIN_RATIO * g.s[0]) {
            s = g.s;
            v = g.v;
            method = "gram";
        } else {
            Svd svd = backend.svd(m, n, DelayEmbedding.embed(x, p.nDelays(), p.delayInterval(), what).data());
            s = svd.s();
            v = new double[m * r];
            for (int i = 0; i < m; i++) System.arraycopy(svd.u(), i * k, v, i * r, r);
            method = "svd";
        }
        if (!(s[0] > 0)) throw new IllegalArgumentException(what + " is all zeros: its Hankel matrix has no singular directions");
        if (!(s[r - 1] > RANK_TOLERANCE * s[0])) {
            throw new IllegalArgumentException("rank " + r + " exceeds the numerical rank of the Hankel matrix of " + what
                    + " (singular value " + r + " is " + s[r - 1] + " against " + s[0] + "); use a smaller rank");
        }
        fixSigns(v, m, r);

        int[][] pr = DelayEmbedding.pairRows(h.trials(), h.rowsPerTrial());
        double lambda = p.ridge();
        int rowsA = lambda > 0 ? pairs + r : pairs;
        double[] lhs = new double[rowsA * r], rhs = new double[rowsA * r];
        for (int q = 0; q < pairs; q++) {
            System.arraycopy(v, pr[0][q] * r, lhs, q * r, r);
            System.arraycopy(v, pr[1][q] * r, rhs, q * r, r);
        }
        if (lambda > 0) {
            // ridge as augmented least squares: [Vm; sqrt(lambda) I] X = [Vp; 0]
            double sq = Math.sqrt(lambda);
            for (int i = 0; i < r; i++) lhs[(pairs + i) * r + i] = sq;
        }
        double[] xsol = backend.lstsq(rowsA, r, r, lhs, rhs); // r x r, Vp ~ Vm X
        Mat a = Mat.zeros(r, r);
        for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) a.set(i, j, xsol[j * r + i]);
        for (double val : a.data()) {
            if (!Double.isFinite(val)) throw new ArithmeticException("HAVOK regression of " + what + " produced a non-finite operator");
        }
        return new Operator(a, p.nDelays(), p.delayInterval(), lambda, h.units(), xt.dim(0), xt.dim(1),
                Arrays.copyOf(s, Math.min(s.length, k)), method);
    }

    private record Gram(double[] s, double[] v) { }

    /**
     * Top-r left singular vectors through the Gram matrix G = H^T H (n x n, n = n_delays * units <=
     * rows): its r largest eigenpairs from the engine ({@link Backend#eigSymmetric}: LAPACK's
     * dsyevr on {@code mkl}; on {@code java} a block Krylov solver for the r pairs, or EJML's full
     * decomposition where r is not small against n), then V_r = H W_r / s_r.
     */
    private static Gram gram(Backend backend, NdArray xt, DelayEmbedding.Shape h, int r) {
        int m = h.rows(), n = h.cols();
        double[] gm = hankelGram(backend, xt, h.nDelays(), h.delayInterval());
        SymmetricEig eig;
        try {
            eig = backend.eigSymmetric(n, gm, r);
        } catch (ArithmeticException | IllegalArgumentException e) {
            return null;  // no convergence, or a Gram matrix that overflowed: the SVD route takes over
        }
        double[] s = new double[r];
        for (int i = 0; i < r; i++) s[i] = Math.sqrt(Math.max(0, eig.values()[i]));
        if (!(s[r - 1] > 0)) return new Gram(s, null);
        double[] v = hankelTimes(backend, xt, h, eig.vectors(), r);
        for (int i = 0; i < m; i++) for (int c = 0; c < r; c++) v[i * r + c] /= s[c];
        return new Gram(s, v);
    }

    /**
     * H W for an (n_delays * units) x r matrix W, without building H: row t of trial k of H is the
     * samples x_k[t + (n_delays - 1 - d) s] of the delays d side by side, so H W is the sum over d
     * of X W_d (W_d the d-th block of W's rows) shifted by (n_delays - 1 - d) s rows. One GEMM
     * X [W_0 ... W_{D-1}] gives all the X W_d at once; the Hankel matrix (n_delays times the data)
     * is built only on the SVD route.
     */
    static double[] hankelTimes(Backend backend, NdArray xt, DelayEmbedding.Shape h, double[] w, int r) {
        int trials = h.trials(), time = h.time(), units = h.units(), nd = h.nDelays(), rows = h.rowsPerTrial();
        int width = nd * r;
        double[] wcat = new double[units * width], prod = new double[trials * time * width];
        for (int d = 0; d < nd; d++) {
            for (int u = 0; u < units; u++) System.arraycopy(w, (d * units + u) * r, wcat, u * width + d * r, r);
        }
        try (Buf xb = backend.upload(xt.data()); Buf wb = backend.upload(wcat); Buf pb = backend.alloc(DType.F64, trials * time * width)) {
            backend.gemm(false, false, trials * time, width, units, 1.0, xb, 0, units, wb, 0, width, 0.0, pb, 0, width);
            backend.download(pb, 0, prod, 0, prod.length);
        }
        double[] v = new double[trials * rows * r];
        for (int k = 0; k < trials; k++) {
            for (int t = 0; t < rows; t++) {
                int out = (k * rows + t) * r;
                for (int d = 0; d < nd; d++) {
                    int src = (k * time + t + (nd - 1 - d) * h.delayInterval()) * width + d * r;
                    for (int c = 0; c < r; c++) v[out + c] += prod[src + c];
                }
            }
        }
        return v;
    }

    /**
     * G = H^T H of the Hankel matrix of X (trials, time, units) without forming the product over
     * all (n_delays * units)^2 entries: block (d2, d1) of G (d1 <= d2) is the lagged covariance
     * sum_k sum_{t=lo}^{lo+R-1} x_k[t]^T x_k[t+l] with lo = (n_delays-1-d2) s and l = (d2-d1) s,
     * computed as the full-window lag product F(l) = sum_k sum_{t=0}^{T-1-l} x_k[t]^T x_k[t+l]
     * minus the few rows outside the window. Costs n_delays products instead of n_delays^2.
     */
    static double[] hankelGram(Backend backend, NdArray xt, int nDelays, int interval) {
        int trials = xt.dim(0), time = xt.dim(1), units = xt.dim(2), n = nDelays * units;
        int rows = time - (nDelays - 1) * interval;
        double[] g = new double[n * n], f = new double[units * units];
        try (Buf xb = backend.upload(xt.data()); Buf fb = backend.alloc(DType.F64, units * units);
             Buf sb = backend.alloc(DType.F64, units * units)) {
            for (int lagIdx = 0; lagIdx < nDelays; lagIdx++) {
                int lag = lagIdx * interval;
                backend.fill(fb, 0, units * units, 0.0);
                for (int k = 0; k < trials; k++) {
                    int base = k * time * units;
                    backend.gemm(true, false, units, units, time - lag, 1.0, xb, base, units, xb, base + lag * units, units,
                            1.0, fb, 0, units);
                }
                for (int d1 = 0; d1 + lagIdx < nDelays; d1++) {
                    int d2 = d1 + lagIdx, lo = (nDelays - 1 - d2) * interval;
                    backend.copy(fb, 0, sb, 0, units * units);
                    int head = lo, tailStart = lo + rows, tail = time - lag - tailStart;
                    for (int k = 0; k < trials; k++) {
                        int base = k * time * units;
                        if (head > 0) {
                            backend.gemm(true, false, units, units, head, -1.0, xb, base, units, xb, base + lag * units, units,
                                    1.0, sb, 0, units);
                        }
                        if (tail > 0) {
                            backend.gemm(true, false, units, units, tail, -1.0, xb, base + tailStart * units, units,
                                    xb, base + (tailStart + lag) * units, units, 1.0, sb, 0, units);
                        }
                    }
                    backend.download(sb, 0, f, 0, units * units);
                    for (int u = 0; u < units; u++) {
                        for (int v = 0; v < units; v++) {
                            double val = f[u * units + v];
                            g[(d2 * units + u) * n + d1 * units + v] = val;
                            g[(d1 * units + v) * n + d2 * units + u] = val;
                        }
                    }
                }
            }
        }
        return g;
    }

    /** Signs each column so that its largest-magnitude entry is positive. */
    private static void fixSigns(double[] v, int m, int r) {
        for (int c = 0; c < r; c++) {
            double best = 0;
            for (int i = 0; i < m; i++) { double x = v[i * r + c]; if (Math.abs(x) > Math.abs(best)) best = x; }
            if (best < 0) for (int i = 0; i < m; i++) v[i * r + c] = -v[i * r + c];
        }
    }
}
