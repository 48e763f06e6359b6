package io.degen.metrics.weights;

import io.degen.backend.Backend;
import io.degen.metrics.Metric;
import io.degen.util.Mat;
import io.degen.util.Pools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Permutation-invariant Frobenius distance between two square weight matrices (for RNNs: the
 * recurrent matrices of two networks, whose hidden units may be relabelled freely):
 *
 * <pre>  d_PIF(W1, W2) = min over permutation matrices P of ||W1 - P^T W2 P||_F</pre>
 *
 * one permutation relabelling rows and columns together. This is a quadratic assignment problem
 * (NP-hard), solved heuristically:
 * <ol>
 *   <li>FAQ (Frank-Wolfe on doubly stochastic matrices with exact LAP steps and exact line
 *       search) from several starts: the barycenter J/n, then {@code restarts - 1} randomised
 *       doubly stochastic starts drawn from {@code seed};</li>
 *   <li>each start's result (the LAP projection of the final iterate, or the best vertex seen if
 *       better) is polished by best-improvement 2-swap local search;</li>
 *   <li>the best permutation over all starts (and the identity) is kept.</li>
 * </ol>
 * For n &lt;= {@link Options#exactUpTo()} every permutation is enumerated instead, so the result is
 * exact. The returned distance is always recomputed from the permutation, and never exceeds
 * {@code ||W1 - W2||_F} (the identity is a candidate).
 *
 * <p>Symmetry: the pair is put in a canonical order (lexicographic on the data) before solving
 * and the permutation inverted back, so {@code distance(a, b) == distance(b, a)} exactly.
 *
 * <p>With {@code normalize}, the distance is divided by n^2, the number of parameters of an n x n
 * weight matrix (the paper's normalisation), so networks of different sizes can be compared in
 * scale; the permutation itself still needs equal sizes.
 *
 * <p>Workspaces: each start runs in a {@link QapSolver} (the problem's engine buffers and work
 * arrays, ~3 MB at n = 128) taken from this metric's pool and returned after the pair, so a
 * pairwise matrix allocates one per thread instead of one per pair. {@link #close()} releases them;
 * an unclosed metric leaves them to the garbage collector (and the engine's deallocator).
 */
public final class PifMetric implements Metric<Mat>, AutoCloseable {

    /**
     * @param restarts  number of FAQ starts (first barycenter, then randomised); >= 1
     * @param seed      seed for the randomised starts
     * @param normalize divide the distance by n^2
     * @param maxIter   Frank-Wolfe iterations per start (default 100; SciPy's default is 30)
     * @param tol       stop a start when ||P_{t+1} - P_t||_F / sqrt(n) < tol (default 0.005;
     *                  SciPy's 0.03 stops earlier and gives measurably worse matches)
     * @param refine    run the 2-swap local search on each start's permutation
     * @param exactUpTo enumerate all permutations when n <= this (default 7, at most 9)
     * @param threads   run the starts on this many threads (default 1); the result does not
     *                  depend on it
     */
    public record Options(int restarts, long seed, boolean normalize, int maxIter, double tol, boolean refine, int exactUpTo,
                          int threads) {
        public Options {
            if (restarts < 1) throw new IllegalArgumentException("restarts must be >= 1, got " + restarts);
            if (maxIter < 1) throw new IllegalArgumentException("maxIter must be >= 1, got " + maxIter);
            if (!(tol >= 0) || Double.isInfinite(tol)) throw new IllegalArgumentException("tol must be a finite number >= 0, got " + tol);
            if (exactUpTo < 0 || exactUpTo > 9) throw new IllegalArgumentException("exactUpTo must be in [0, 9], got " + exactUpTo);
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }

        public static Options defaults() { return new Options(4, 0L, false, 100, 0.005, true, 7, 1); }

        public Options withRestarts(int r) { return new Options(r, seed, normalize, maxIter, tol, refine, exactUpTo, threads); }

        public Options withSeed(long s) { return new Options(restarts, s, normalize, maxIter, tol, refine, exactUpTo, threads); }

        public Options withNormalize(boolean z) { return new Options(restarts, seed, z, maxIter, tol, refine, exactUpTo, threads); }

        public Options withMaxIter(int m) { return new Options(restarts, seed, normalize, m, tol, refine, exactUpTo, threads); }

        public Options withTol(double t) { return new Options(restarts, seed, normalize, maxIter, t, refine, exactUpTo, threads); }

        public Options withRefine(boolean z) { return new Options(restarts, seed, normalize, maxIter, tol, z, exactUpTo, threads); }

        public Options withExactUpTo(int e) { return new Options(restarts, seed, normalize, maxIter, tol, refine, e, threads); }

        public Options withThreads(int t) { return new Options(restarts, seed, normalize, maxIter, tol, refine, exactUpTo, t); }
    }

    private final Options options;
    private final Backend backend;
    private final java.util.concurrent.ConcurrentLinkedDeque<QapSolver> idle = new java.util.concurrent.ConcurrentLinkedDeque<>();

    /**
     * @param backend the engine for the Frank-Wolfe gradient products (single-precision GEMMs that
     *                steer the search; distances are always recomputed exactly in double). Used
     *                from several threads at once when {@code options.threads() > 1} or when the
     *                metric runs inside {@link io.degen.metrics.Pairwise}; every engine allows that.
     */
    public PifMetric(Options options, Backend backend) {
        if (options == null) throw new IllegalArgumentException("options must not be null");
        if (backend == null) throw new IllegalArgumentException("backend must not be null");
        this.options = options;
        this.backend = backend;
    }

    public Options options() { return options; }

    @Override public String name() { return "pif"; }

    @Override public double distance(Mat a, Mat b) { return compute(a, b).distance(); }

    /** The distance and the matching permutation (see {@link PifResult} for the convention). */
    public PifResult compute(Mat w1, Mat w2) {
        validate(w1, "W1");
        validate(w2, "W2");
        if (w1.rows() != w2.rows()) {
            throw new IllegalArgumentException("W1 is " + w1.rows() + " x " + w1.cols() + " but W2 is " + w2.rows() + " x " + w2.cols()
                    + "; the permutation distance needs matrices of the same size");
        }
        int n = w1.rows();
        int order = Arrays.compare(w1.data(), w2.data());
        int[] perm;
        double frob;
        if (order == 0) {
            perm = identity(n);
            frob = 0;
        } else if (order < 0) {
            perm = solve(w1.data(), w2.data(), n);
            frob = frobenius(w1.data(), w2.data(), n, perm);
        } else {
            // Solved (and summed) in the canonical order, so swapping the arguments gives the
            // bit-identical distance and the inverse permutation.
            int[] canonical = solve(w2.data(), w1.data(), n);
            frob = frobenius(w2.data(), w1.data(), n, canonical);
            perm = invert(canonical);
        }
        double d = options.normalize() ? frob / ((double) n * n) : frob;
        return new PifResult(d, perm, frob);
    }

    /** ||W1 - W2[perm][:, perm]||_F for row-major n x n arrays. */
    public static double frobenius(double[] w1, double[] w2, int n, int[] perm) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            final int ai = i * n, bi = perm[i] * n;
            for (int j = 0; j < n; j++) {
                double e = w1[ai + j] - w2[bi + perm[j]];
                s += e * e;
            }
        }
        return Math.sqrt(s);
    }

    private static void validate(Mat m, String what) {
        if (m == null) throw new IllegalArgumentException(what + " must not be null");
        if (m.rows() == 0 || m.cols() == 0) throw new IllegalArgumentException(what + " is empty (" + m.rows() + " x " + m.cols() + ")");
        if (!m.isSquare()) {
            throw new IllegalArgumentException(what + " must be square (a recurrent weight matrix), got " + m.rows() + " x " + m.cols());
        }
        double[] d = m.data();
        for (int k = 0; k < d.length; k++) {
            if (!Double.isFinite(d[k])) {
                throw new IllegalArgumentException(what + " contains " + d[k] + " at (" + k / m.cols() + ", " + k % m.cols() + ")");
            }
        }
    }

    /** Maximises F(p) = sum A_ij B_{p_i p_j}. */
    private int[] solve(double[] a, double[] b, int n) {
        if (n <= options.exactUpTo()) return exhaustive(a, b, n);
        final int starts = options.restarts();
        // Each start draws from its own seed, so the outcome is the same on any number of threads.
        SplittableRandom master = new SplittableRandom(options.seed());
        long[] seeds = new long[starts];
        for (int r = 0; r < starts; r++) seeds[r] = master.nextLong();
        int[][] perms = new int[starts][];
        double[] values = new double[starts];
        int threads = Math.min(options.threads(), starts);
        if (threads <= 1) {
            QapSolver s = take(a, b, n);
            try {
                for (int r = 0; r < starts; r++) runStart(s, r, seeds[r], perms, values);
            } finally {
                give(s);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
                Thread t = new Thread(task, "pif-start");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (int w = 0; w < threads; w++) {
                    final int worker = w, stride = threads;
                    jobs.add(pool.submit(() -> {
                        QapSolver s = take(a, b, n);
                        try {
                            for (int r = worker; r < starts; r += stride) runStart(s, r, seeds[r], perms, values);
                        } finally {
                            give(s);
                        }
                    }));
                }
                for (Future<?> f : jobs) f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("d_PIF interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            } finally {
                Pools.stopAndWait(pool);
            }
        }
        int[] best = identity(n);
        double bestF = objective(a, b, n, best);
        for (int r = 0; r < starts; r++) {
            if (values[r] > bestF) { bestF = values[r]; best = perms[r]; }
        }
        return best;
    }

    /** An idle workspace of size n loaded with (a, b), or a new one. */
    private QapSolver take(double[] a, double[] b, int n) {
        QapSolver s = idle.pollFirst();
        if (s != null && s.n != n) {
            s.close();
            s = null;
        }
        if (s == null) s = new QapSolver(backend, n);
        s.load(a, b);
        return s;
    }

    private void give(QapSolver s) { idle.addFirst(s); }

    /**
     * Releases the pooled workspaces. The metric stays usable (a later pair makes new ones); close
     * it after its pairs, not during them (a pair still running returns its workspace to the pool).
     */
    @Override public void close() {
        for (QapSolver s; (s = idle.pollFirst()) != null; ) s.close();
    }

    private void runStart(QapSolver s, int r, long seed, int[][] perms, double[] values) {
        if (r == 0) s.startBarycenter();
        else s.startRandomized(new SplittableRandom(seed));
        int[] cand = new int[s.n];
        s.faq(options.maxIter(), options.tol(), cand);
        if (options.refine()) s.localSearch(cand, 1000 * s.n);
        perms[r] = cand;
        values[r] = s.objective(cand);
    }

    /** All n! permutations (Heap's algorithm); the first best one wins ties. */
    static int[] exhaustive(double[] a, double[] b, int n) {
        int[] p = identity(n), best = identity(n), c = new int[n];
        double bestF = objective(a, b, n, p);
        int i = 0;
        while (i < n) {
            if (c[i] < i) {
                int k = (i % 2 == 0) ? 0 : c[i];
                int t = p[k]; p[k] = p[i]; p[i] = t;
                double f = objective(a, b, n, p);
                if (f > bestF) { bestF = f; System.arraycopy(p, 0, best, 0, n); }
                c[i]++;
                i = 0;
            } else {
                c[i] = 0;
                i++;
            }
        }
        return best;
    }

    private static double objective(double[] a, double[] b, int n, int[] p) {
        double s = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s += a[i * n + j] * b[p[i] * n + p[j]];
        return s;
    }

    static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    static int[] invert(int[] p) {
        int[] inv = new int[p.length];
        for (int i = 0; i < p.length; i++) inv[p[i]] = i;
        return inv;
    }
}
