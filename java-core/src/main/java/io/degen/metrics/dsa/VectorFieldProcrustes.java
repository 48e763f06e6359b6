package io.degen.metrics.dsa;

import io.degen.util.Mat;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Procrustes analysis over vector fields (Ostrow et al. 2023) on the whole orthogonal group O(n):
 * <pre>
 *   A <- A / |A|_F,  B <- B / |B|_F
 *   C* = argmax_{C in O(n)} g(C),  g(C) = tr(A^T C B C^T)
 *   euclidean = |A - C* B C*^T|_F          (= sqrt(2 - 2 g(C*)))
 *   angular   = arccos(g(C*))               (computed as 2 asin(euclidean / 2), the same number, stably)
 * </pre>
 * Both scores are monotone in g, so one maximisation serves both.
 *
 * <p>The optimiser is Riemannian quasi-Newton ascent on O(n). At C the gradient of g in the skew
 * tangent coordinates (C -> C (I + W), W skew) is Z = skew(P^T B - B P^T) with P = C^T A C.
 * Directions come from L-BFGS (memory 8) run in these left-trivialised coordinates, steps are
 * retracted with the Cayley map C -> C (I - tD/2)^{-1} (I + tD/2), which stays on C's determinant
 * component, and accepted by Armijo backtracking. A run stops when |Z|_F falls below the
 * tolerance (default 1e-6).
 *
 * <p>Because g is not concave on O(n), several starts are run and the best is kept: the identity,
 * a reflection (det -1), the best diagonal sign matrix (a +-1 quadratic maximised by a spanning-tree
 * sign propagation plus greedy flips: HAVOK coordinates are defined up to the SVD's signs), the
 * alignment of the eigenbases of the symmetric parts (with the same sign matching), and seeded
 * Haar-random orthogonal matrices alternating between det +1 and det -1. Every start is screened:
 * run until |Z|_F falls below a loose tolerance (1e-3), where it sits in the basin it will end in;
 * the best four are then run on to 1e-4 and finished by Newton steps with the exact Hessian
 * ({@link Ascent#newton}) to |Z|_F < 1e-11, so a finalist's value is its local maximum to rounding
 * rather than to where a first-order run stopped. The L-BFGS steps are preconditioned by the
 * Hessian's diagonal ({@code Ascent.curvature}). Why: at the optima of real pairs the Hessian's
 * curvatures span four decades, so screened values are off by up to ~1e-3 and final values at
 * |Z| = 1e-6 by ~1e-7; on the 190 pairs of 20 benchmark networks, the previous default (best 2
 * polished to 1e-6) ended more than 1e-8 below a 104-start exhaustive search on 42 pairs, this one
 * on 14 (docs/metrics-dsa.md). Ranking the starts after a fixed small number
 * of iterations, as this class once did, is not predictive: on trained networks' operators the
 * eventual winner was among the two best after 15 iterations in a fifth of the pairs, and the
 * result was below the published DSA package's optimum on 18 of 66 pairs (docs/metrics-dsa.md).
 * The answer is exactly symmetric:
 * the pair is put in a canonical order before optimising and the transform transposed back.
 */
public final class VectorFieldProcrustes {
    private VectorFieldProcrustes() { }

    /**
     * @param randomStarts Haar-random starts besides the structured ones
     * @param seed         seed of the random starts
     * @param screenTol    every start runs until |Z|_F is below this before the best are chosen
     * @param maxIters     iteration cap of one start in each of the two phases
     * @param gradTol      a finalist's L-BFGS run stops when |Z|_F is below this; Newton steps then finish it
     * @param finalists    how many of the best screened starts are polished
     */
    public record Options(int randomStarts, long seed, double screenTol, int maxIters, double gradTol, int finalists) {
        public Options {
            if (randomStarts < 0 || maxIters < 1 || finalists < 1 || !(gradTol > 0) || !(screenTol >= gradTol) || Double.isInfinite(screenTol)) {
                throw new IllegalArgumentException("bad optimiser options: random starts " + randomStarts + ", screen tolerance "
                        + screenTol + ", iteration cap " + maxIters + ", gradient tolerance " + gradTol + ", finalists " + finalists
                        + " (need starts >= 0, cap >= 1, finalists >= 1, gradient tolerance > 0, screen tolerance >= it)");
            }
        }

        public static Options defaults() { return new Options(DsaParams.DEFAULT_RANDOM_STARTS, 0L, 1e-3, 2000, 1e-4, 4); }

        public Options withSeed(long s) { return new Options(randomStarts, s, screenTol, maxIters, gradTol, finalists); }

        public Options withRandomStarts(int k) { return new Options(k, seed, screenTol, maxIters, gradTol, finalists); }
    }

    /**
     * The optimum found. {@code a} and {@code b} are the unit-Frobenius normalised operators and
     * {@code c} the orthogonal transform, so that euclidean = |a - c b c^T|_F.
     *
     * @param cosine     tr(a^T c b c^T)
     * @param iterations gradient iterations spent over all starts
     */
    public record Result(Mat c, Mat a, Mat b, double cosine, double euclidean, double angular, int iterations) {
        public double score(DsaParams.Score s) { return s == DsaParams.Score.EUCLIDEAN ? euclidean : angular; }
    }

    /** Aligns B to A: minimises |A/|A| - C (B/|B|) C^T| over orthogonal C. */
    public static Result align(Mat a, Mat b, Options o) {
        if (!a.isSquare() || !b.isSquare()) {
            throw new IllegalArgumentException("operators must be square, got " + a.rows() + " x " + a.cols() + " and "
                    + b.rows() + " x " + b.cols());
        }
        if (a.rows() != b.rows()) {
            throw new IllegalArgumentException("operators have different ranks: " + a.rows() + " vs " + b.rows()
                    + " (fit both with the same rank)");
        }
        int n = a.rows();
        double[] an = normalised(a, "first"), bn = normalised(b, "second");
        int cmp = Arrays.compare(an, bn);
        if (cmp == 0) {
            return new Result(Mat.identity(n), new Mat(n, n, an), new Mat(n, n, bn), 1.0, 0.0, 0.0, 0);
        }
        if (cmp > 0) {
            Result r = solve(n, bn, an, o);
            return new Result(new Mat(n, n, SmallMat.transpose(n, r.c().data())), r.b(), r.a(), r.cosine(), r.euclidean(),
                    r.angular(), r.iterations());
        }
        return solve(n, an, bn, o);
    }

    static double[] normalised(Mat m, String which) {
        double f = m.frobenius();
        if (!(f > 0) || !Double.isFinite(f)) {
            throw new IllegalArgumentException("the " + which + " operator has Frobenius norm " + f + "; it cannot be normalised");
        }
        double[] d = m.data().clone();
        for (int i = 0; i < d.length; i++) d[i] /= f;
        return d;
    }

    /** The Newton finish of a finalist: at most this many steps, to this |Z|_F. */
    static final int NEWTON_STEPS = 8;
    static final double NEWTON_TOL = 1e-11;
    /** Rounds of polish and Newton steps a finalist gets before it is taken where it stands. */
    static final int FINISH_ROUNDS = 6;

    /**
     * Polishes a finalist to the gradient tolerance and finishes it by Newton steps. Some finalists
     * are still climbing a long, flat ridge after the Newton steps (|Z| ~ 1e-4 after 8 of them):
     * such a point is on the way to a maximum, and its value depends on the rounding of the path
     * (the same pair differed by 7.5e-9 between 256- and 512-bit vectors). So the polish and the
     * Newton steps repeat until |Z| reaches {@link #NEWTON_TOL}, g stops rising, or
     * {@link #FINISH_ROUNDS} rounds have run. Returns the iterations used.
     */
    static int finish(Ascent r, Options o) {
        int start = r.iter;
        for (int round = 0; round < FINISH_ROUNDS; round++) {
            double before = r.bestG;
            r.tighten(o.gradTol());
            r.run(o.maxIters());
            if (r.newton(NEWTON_STEPS, NEWTON_TOL) || r.stalled || !(r.bestG > before)) break;
        }
        return r.iter - start;
    }

    private static Result solve(int n, double[] a, double[] b, Options o) {
        List<double[]> starts = starts(n, a, b, o);
        List<Ascent> runs = new ArrayList<>(starts.size());
        int iters = 0;
        for (double[] c0 : starts) {
            Ascent r = new Ascent(n, a, b, o.screenTol());
            r.start(c0);
            iters += r.run(o.maxIters());
            runs.add(r);
        }
        runs.sort(Comparator.comparingDouble((Ascent r) -> -r.bestG));
        for (int i = 0; i < Math.min(o.finalists(), runs.size()); i++) iters += finish(runs.get(i), o);
        Ascent best = runs.get(0);
        for (Ascent r : runs) if (r.bestG > best.bestG) best = r;

        double[] c = best.bestC.clone();
        reorthogonalise(n, c);
        double[] t = new double[n * n], m = new double[n * n];
        SmallMat.mul(n, c, b, t);
        SmallMat.mulNT(n, t, c, m, new double[n * n]); // c b c^T
        double e = SmallMat.distance(n * n, a, m);
        double cos = SmallMat.dot(n * n, a, m);
        double ang = 2 * Math.asin(Math.min(1.0, e / 2));
        return new Result(new Mat(n, n, c), new Mat(n, n, a.clone()), new Mat(n, n, b.clone()), cos, e, ang, iters);
    }

    /** Two Newton-Schulz polar steps: C <- C (3I - C^T C) / 2, removing accumulated rounding. */
    private static void reorthogonalise(int n, double[] c) {
        double[] g = new double[n * n], out = new double[n * n];
        for (int step = 0; step < 2; step++) {
            SmallMat.mulTN(n, c, c, g);
            for (int i = 0; i < n * n; i++) g[i] = -0.5 * g[i];
            for (int i = 0; i < n; i++) g[i * n + i] += 1.5;
            SmallMat.mul(n, c, g, out);
            System.arraycopy(out, 0, c, 0, n * n);
        }
    }

    // ---- starts ------------------------------------------------------------------------------

    static List<double[]> starts(int n, double[] a, double[] b, Options o) {
        List<double[]> s = new ArrayList<>();
        double[] id = new double[n * n];
        SmallMat.identity(n, id);
        s.add(id);
        if (n == 1) return s;
        double[] refl = id.clone();
        refl[0] = -1;
        s.add(refl);
        int[] d = signMatch(n, a, b);
        double[] diag = new double[n * n];
        for (int i = 0; i < n; i++) diag[i * n + i] = d[i];
        if (!Arrays.equals(diag, id) && !Arrays.equals(diag, refl)) s.add(diag);
        double[] eigStart = symmetricEigenStart(n, a, b);
        if (eigStart != null) s.add(eigStart);
        SplittableRandom rnd = new SplittableRandom(o.seed() ^ 0x5DEECE66DL);
        for (int k = 0; k < o.randomStarts(); k++) s.add(haar(n, rnd, k % 2 == 0 ? 1 : -1));
        return s;
    }

    /**
     * The signs d maximising g(diag(d)) = sum_ij x_ij y_ij d_i d_j: sign propagation along a maximum
     * spanning tree of the couplings |x_ij y_ij + x_ji y_ji|, then greedy single flips; the better of
     * that and greedy flips from all +1.
     */
    static int[] signMatch(int n, double[] x, double[] y) {
        double[] j = new double[n * n];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) if (p != q) j[p * n + q] = x[p * n + q] * y[p * n + q] + x[q * n + p] * y[q * n + p];
        }
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        greedy(n, j, ones);
        int[] tree = new int[n];
        boolean[] in = new boolean[n];
        double[] key = new double[n];
        int[] parent = new int[n];
        Arrays.fill(key, -1);
        Arrays.fill(parent, -1);
        key[0] = Double.POSITIVE_INFINITY;
        for (int it = 0; it < n; it++) { // Prim on |J|, maximum spanning tree
            int u = -1;
            for (int v = 0; v < n; v++) if (!in[v] && (u < 0 || key[v] > key[u])) u = v;
            in[u] = true;
            tree[u] = parent[u] < 0 ? 1 : tree[parent[u]] * (j[parent[u] * n + u] >= 0 ? 1 : -1);
            for (int v = 0; v < n; v++) {
                if (!in[v] && Math.abs(j[u * n + v]) > key[v]) { key[v] = Math.abs(j[u * n + v]); parent[v] = u; }
            }
        }
        greedy(n, j, tree);
        return isingValue(n, j, tree) > isingValue(n, j, ones) ? tree : ones;
    }

    private static double isingValue(int n, double[] j, int[] d) {
        double s = 0;
        for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) s += j[p * n + q] * d[p] * d[q];
        return s;
    }

    /** Best-improvement single flips until none improves. */
    private static void greedy(int n, double[] j, int[] d) {
        for (int sweep = 0; sweep < 4 * n; sweep++) {
            int worst = -1;
            double worstVal = -1e-15;
            for (int p = 0; p < n; p++) {
                double h = 0;
                for (int q = 0; q < n; q++) h += j[p * n + q] * d[q];
                double v = d[p] * h; // flipping p changes the objective by -2 v
                if (v < worstVal) { worstVal = v; worst = p; }
            }
            if (worst < 0) return;
            d[worst] = -d[worst];
        }
    }

    /** U_A D U_B^T from the eigenbases of the symmetric parts, with D sign-matched; null if EJML fails. */
    private static double[] symmetricEigenStart(int n, double[] a, double[] b) {
        double[] ua = symmetricEigenvectors(n, a), ub = symmetricEigenvectors(n, b);
        if (ua == null || ub == null) return null;
        double[] t = new double[n * n], at = new double[n * n], bt = new double[n * n];
        SmallMat.mul(n, a, ua, t);
        SmallMat.mulTN(n, ua, t, at);
        SmallMat.mul(n, b, ub, t);
        SmallMat.mulTN(n, ub, t, bt);
        int[] d = signMatch(n, at, bt);
        for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) ua[i * n + k] *= d[k];
        double[] c = new double[n * n];
        SmallMat.mulNT(n, ua, ub, c, new double[n * n]);
        return c;
    }

    /** Orthonormal eigenvectors (columns, ascending eigenvalue) of (x + x^T) / 2. */
    private static double[] symmetricEigenvectors(int n, double[] x) {
        DMatrixRMaj s = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) s.set(i, k, 0.5 * (x[i * n + k] + x[k * n + i]));
        EigenDecomposition_F64<DMatrixRMaj> e = DecompositionFactory_DDRM.eig(n, true, true);
        if (!e.decompose(s)) return null;
        Integer[] order = new Integer[n];
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) { order[i] = i; ev[i] = e.getEigenvalue(i).real; }
        Arrays.sort(order, Comparator.comparingDouble(i -> ev[i]));
        double[] u = new double[n * n];
        for (int k = 0; k < n; k++) {
            DMatrixRMaj v = e.getEigenVector(order[k]);
            if (v == null) return null;
            for (int i = 0; i < n; i++) u[i * n + k] = v.get(i, 0);
        }
        return u;
    }

    /** A Haar-random orthogonal matrix (QR of a Gaussian, signs fixed) with the given determinant sign. */
    static double[] haar(int n, SplittableRandom rnd, int detSign) {
        DMatrixRMaj g = new DMatrixRMaj(n, n);
        for (int i = 0; i < n * n; i++) g.data[i] = gaussian(rnd);
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, n);
        if (!qr.decompose(g)) throw new ArithmeticException("QR of a random matrix failed");
        DMatrixRMaj q = qr.getQ(null, false), r = qr.getR(null, false);
        for (int k = 0; k < n; k++) if (r.get(k, k) < 0) for (int i = 0; i < n; i++) q.set(i, k, -q.get(i, k));
        if (Math.signum(CommonOps_DDRM.det(q)) != detSign) for (int i = 0; i < n; i++) q.set(i, 0, -q.get(i, 0));
        return q.data.clone();
    }

    private static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble(), u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    // ---- one Riemannian ascent run --------------------------------------------------------------

    /**
     * Ascent of g on C's component of O(n): left-trivialised L-BFGS (gradients and steps live in the
     * skew Lie algebra, where the bi-invariant metric makes them comparable across points), Cayley
     * retraction, Armijo backtracking; it falls back to the gradient when the quasi-Newton direction
     * is not an ascent direction. Skew matrices are stored compactly as their strict upper triangle
     * (d = n(n-1)/2 numbers), whose dot product is half the Frobenius one.
     */
    static final class Ascent {
        private static final double ARMIJO = 1e-4, SHRINK = 0.25, MAX_STEP = 1.5;
        private static final int MAX_BACKTRACK = 40, MEMORY = 8;

        final int n, nn, d;
        final double[] a, b, bt;
        double tol;
        /** The line search found no ascent: more iterations cannot help. */
        boolean stalled;
        double[] c, p, ct, pt, t1, t2, full, bestC;
        double[] z, zt, dir, q;
        final double[][] sMem, yMem;
        final double[] rho, alpha;
        int mem, head;
        double g, zn2, bestG = Double.NEGATIVE_INFINITY;
        boolean done;
        int iter;
        final CayleyStep cayley;

        Ascent(int n, double[] a, double[] b, double tol) {
            this.n = n;
            this.nn = n * n;
            this.d = n * (n - 1) / 2;
            this.a = a;
            this.b = b;
            this.bt = SmallMat.transpose(n, b);
            this.tol = tol;
            c = new double[nn]; p = new double[nn]; ct = new double[nn]; pt = new double[nn];
            t1 = new double[nn]; t2 = new double[nn]; full = new double[nn];
            z = new double[d]; zt = new double[d]; dir = new double[d]; q = new double[d];
            sMem = new double[MEMORY][d];
            yMem = new double[MEMORY][d];
            rho = new double[MEMORY];
            alpha = new double[MEMORY];
            cayley = new CayleyStep(n);
            dinv = new double[d];
        }

        void start(double[] c0) {
            System.arraycopy(c0, 0, c, 0, nn);
            g = evaluate(c, p);
            gradient(p, z);
            zn2 = frob2(z, z);
            bestG = g;
            bestC = c.clone();
            mem = 0;
            head = 0;
            done = Math.sqrt(zn2) < tol;
        }

        /** Frobenius inner product of two compact skew matrices. */
        private static double frob2(double[] x, double[] y) { return 2 * SmallMat.dot(x.length, x, y); }

        /** P = C^T A C; returns g = <P, B>. */
        private double evaluate(double[] cm, double[] pOut) {
            SmallMat.mul(n, a, cm, t1);
            SmallMat.mulTN(n, cm, t1, pOut);
            return SmallMat.dot(nn, pOut, b);
        }

        /**
         * The gradient of g in the coordinates C -> C (I + W): Z = skew(P^T B - B P^T), which equals
         * ((M + M^T) antisymmetrised) / 2 with M = P^T B + P B^T; written compactly.
         */
        private void gradient(double[] pm, double[] zOut) {
            SmallMat.mulTN(n, pm, b, t1);
            SmallMat.mul(n, pm, bt, t2);
            for (int i = 0, e = 0; i < n; i++) {
                for (int k = i + 1; k < n; k++, e++) {
                    int ik = i * n + k, ki = k * n + i;
                    zOut[e] = 0.5 * ((t1[ik] + t2[ik]) - (t1[ki] + t2[ki]));
                }
            }
        }

        /** Continues to a tighter gradient tolerance (from where the ascent stands, memory kept). */
        void tighten(double t) {
            tol = t;
            done = stalled || Math.sqrt(zn2) < t;
        }

        /** Runs up to {@code maxIter} more iterations; returns how many were done. */
        int run(int maxIter) {
            int done0 = iter;
            while (!done && iter - done0 < maxIter) step();
            return iter - done0;
        }

        double[] dinv;

        /**
         * 1 / |H_ee| for the diagonal of the Hessian of g ({@link #hessian}) at the point with
         * P = pm, each floored at 1e-3 of the largest: the L-BFGS preconditioner. Entry e = (i, j)
         * is -(S_ii + S_jj) - 2 (B_ji P_ij + B_ij P_ji - B_jj P_ii - B_ii P_jj), with
         * S_ii = sum_k B_ik P_ik + P_ki B_ki: O(r^2) work. At the optimum of trained and random
         * networks' pairs it lowers the Hessian's condition number from about 8,000 to 700-2,000
         * and halves the polishing iterations; the screening iterations barely change.
         */
        private void curvature(double[] pm, double[] out) {
            double[] sd = t1;  // scratch: S_ii = sum_k B_ik P_ik + P_ki B_ki
            for (int i = 0; i < n; i++) {
                double v = 0;
                for (int k = 0; k < n; k++) v += b[i * n + k] * pm[i * n + k] + pm[k * n + i] * b[k * n + i];
                sd[i] = v;
            }
            double max = 0;
            for (int i = 0, e = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++, e++) {
                    double h = -(sd[i] + sd[j]) - 2 * (b[j * n + i] * pm[i * n + j] + b[i * n + j] * pm[j * n + i]
                            - b[j * n + j] * pm[i * n + i] - b[i * n + i] * pm[j * n + j]);
                    out[e] = Math.abs(h);
                    max = Math.max(max, out[e]);
                }
            }
            double floor = 1e-3 * max;
            for (int e = 0; e < d; e++) out[e] = 1 / Math.max(out[e], floor);
        }

        double[] hess, factor, step;
        double mu;
        int[] ei, ej;

        /**
         * The Hessian of g at the current point in the compact coordinates w (W = sum_e w_e E_e,
         * E_e = e_i e_j^T - e_j e_i^T for e = (i < j)): H(U, V) = <P, (U V + V U) B + B (U V + V U)
         * - 2 U B V - 2 V B U> / 2 with P = C^T A C, the second-order term of g(C e^W).
         * With S = B P^T + P^T B and Ss = S + S^T, entry (ij, kl) is
         * [d_jk Ss_il - d_jl Ss_ik - d_ik Ss_jl + d_il Ss_jk] / 2 - [F(i,j,k,l) - F(i,j,l,k) - F(j,i,k,l) + F(j,i,l,k)]
         * with F(a, b, c, d) = B_bc P_ad + B_da P_cb.
         */
        void hessian(double[] pm, double[] out) {
            if (ei == null) {
                ei = new int[d];
                ej = new int[d];
                for (int i = 0, e = 0; i < n; i++) for (int j = i + 1; j < n; j++, e++) { ei[e] = i; ej[e] = j; }
            }
            SmallMat.mulTN(n, pm, b, t1);           // P^T B
            SmallMat.mul(n, pm, bt, t2);            // P B^T = (B P^T)^T
            double[] ss = full;                     // scratch: Ss = S + S^T, S = B P^T + P^T B
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) ss[i * n + k] = t1[i * n + k] + t2[k * n + i] + t1[k * n + i] + t2[i * n + k];
            }
            for (int e = 0; e < d; e++) {
                int i = ei[e], j = ej[e];
                for (int f = e; f < d; f++) {
                    int k = ei[f], l = ej[f];
                    double v = 0;
                    if (j == k) v += ss[i * n + l];
                    if (j == l) v -= ss[i * n + k];
                    if (i == k) v -= ss[j * n + l];
                    if (i == l) v += ss[j * n + k];
                    v *= 0.5;
                    v -= b[j * n + k] * pm[i * n + l] + b[l * n + i] * pm[k * n + j]
                            - b[j * n + l] * pm[i * n + k] - b[k * n + i] * pm[l * n + j]
                            - b[i * n + k] * pm[j * n + l] - b[l * n + j] * pm[k * n + i]
                            + b[i * n + l] * pm[j * n + k] + b[k * n + j] * pm[l * n + i];
                    out[e * d + f] = v;
                    out[f * d + e] = v;
                }
            }
        }

        /**
         * Newton steps with the exact Hessian ({@link #hessian}) from the current point until
         * |Z|_F is below {@code t}, as Levenberg-Marquardt: the step solves (mu I - H) w = grad g
         * with the smallest mu >= 0 of a geometric ladder that makes the matrix positive definite
         * and the step pass the Armijo test, and mu shrinks after every accepted step, so near a
         * maximum the steps are pure Newton and converge quadratically. The optimum of a trained
         * network's pair sits in a valley whose flattest curvatures are 1e-4 to 1e-5 of the
         * steepest, which is why first-order steps crawl there (hundreds of iterations per decade
         * of |Z|). Returns whether |Z| < t; false after {@code maxSteps} steps or when no shift
         * gives an ascent step.
         */
        boolean newton(int maxSteps, double t) {
            if (hess == null) {
                hess = new double[d * d];
                factor = new double[d * d];
                step = new double[d];
            }
            for (int it = 0; it < maxSteps; it++) {
                if (Math.sqrt(zn2) < t) return true;
                hessian(p, hess);
                double scale = 0;
                for (int e = 0; e < d; e++) scale = Math.max(scale, Math.abs(hess[e * d + e]));
                for (int x = 0; x < d * d; x++) hess[x] = -hess[x];
                boolean ok = false;
                double gt = Double.NEGATIVE_INFINITY;
                for (int tries = 0; tries < 30 && !ok; tries++) {
                    if (!SmallMat.cholesky(d, hess, mu, factor)) { mu = Math.max(4 * mu, 1e-6 * scale); continue; }
                    for (int e = 0; e < d; e++) step[e] = 2 * z[e];  // grad g in the w coordinates
                    SmallMat.choleskySolve(d, factor, step);
                    double slope = 0;
                    for (int e = 0; e < d; e++) slope += 2 * z[e] * step[e];
                    for (int i = 0, e = 0; i < n; i++) {
                        full[i * n + i] = 0;
                        for (int k = i + 1; k < n; k++, e++) { full[i * n + k] = step[e]; full[k * n + i] = -step[e]; }
                    }
                    if (cayley.apply(c, full, 1.0, ct)) {
                        gt = evaluate(ct, pt);
                        ok = gt >= g + ARMIJO * slope;
                    }
                    if (!ok) mu = Math.max(4 * mu, 1e-6 * scale);
                }
                iter++;
                if (!ok) return false;
                mu = mu < 1e-12 * scale ? 0 : mu / 8;
                gradient(pt, zt);
                double[] sw = c; c = ct; ct = sw;
                sw = p; p = pt; pt = sw;
                sw = z; z = zt; zt = sw;
                g = gt;
                zn2 = frob2(z, z);
                mem = 0;
                if (g > bestG) { bestG = g; System.arraycopy(c, 0, bestC, 0, nn); }
            }
            return Math.sqrt(zn2) < t;
        }

        /** dir = H Z by the two-loop recursion (H approximates the inverse Hessian of f = -g). */
        private void direction() {
            System.arraycopy(z, 0, q, 0, d);
            for (int k = 0; k < mem; k++) {
                int i = Math.floorMod(head - 1 - k, MEMORY);
                alpha[i] = rho[i] * SmallMat.dot(d, sMem[i], q);
                SmallMat.axpy(d, -alpha[i], yMem[i], 0, q, 0);
            }
            // initial inverse Hessian: the diagonal one, scaled by the newest pair (s^T y / y^T D^-1 y)
            curvature(p, dinv);
            int last = Math.floorMod(head - 1, MEMORY);
            double yhy = 0, sy = 0;
            for (int e = 0; e < d; e++) { yhy += yMem[last][e] * yMem[last][e] * dinv[e]; sy += sMem[last][e] * yMem[last][e]; }
            double scale = sy / yhy;
            for (int e = 0; e < d; e++) q[e] *= scale * dinv[e];
            for (int k = mem - 1; k >= 0; k--) {
                int i = Math.floorMod(head - 1 - k, MEMORY);
                SmallMat.axpy(d, alpha[i] - rho[i] * SmallMat.dot(d, yMem[i], q), sMem[i], 0, q, 0);
            }
            System.arraycopy(q, 0, dir, 0, d);
        }

        private void step() {
            double zn = Math.sqrt(zn2);
            if (zn < tol) { done = true; return; }
            double slope;
            if (mem > 0) {
                direction();
                slope = frob2(dir, z);
                if (!(slope > 1e-12 * zn * Math.sqrt(frob2(dir, dir)))) {
                    mem = 0;
                    System.arraycopy(z, 0, dir, 0, d);
                    slope = zn2;
                }
            } else {
                System.arraycopy(z, 0, dir, 0, d);
                slope = zn2;
            }
            double dn = Math.sqrt(frob2(dir, dir));
            double s = mem > 0 ? 1.0 : Math.min(1.0, 0.5 / zn);
            s = Math.min(s, MAX_STEP / dn);
            for (int i = 0, e = 0; i < n; i++) {
                full[i * n + i] = 0;
                for (int k = i + 1; k < n; k++, e++) { full[i * n + k] = dir[e]; full[k * n + i] = -dir[e]; }
            }
            double gt = Double.NEGATIVE_INFINITY;
            boolean ok = false;
            for (int bt2 = 0; bt2 < MAX_BACKTRACK; bt2++) {
                if (cayley.apply(c, full, s, ct)) {
                    gt = evaluate(ct, pt);
                    if (gt >= g + ARMIJO * s * slope) { ok = true; break; }
                }
                s *= SHRINK;
            }
            iter++;
            if (!ok) {
                if (mem > 0) { mem = 0; return; } // retry once along the plain gradient
                done = true;
                stalled = true;
                return;
            }
            gradient(pt, zt);
            // memory pair on f = -g: S = s dir, Y = grad f(new) - grad f(old) = Z - Zt
            double[] sv = sMem[head], yv = yMem[head];
            double sy = 0, yy = 0, ss = 0;
            for (int e = 0; e < d; e++) {
                sv[e] = s * dir[e];
                yv[e] = z[e] - zt[e];
                sy += sv[e] * yv[e];
                yy += yv[e] * yv[e];
                ss += sv[e] * sv[e];
            }
            if (sy > 1e-12 * Math.sqrt(yy * ss) && yy > 0) {
                rho[head] = 1 / sy;
                head = (head + 1) % MEMORY;
                mem = Math.min(mem + 1, MEMORY);
            }
            double[] sw = c; c = ct; ct = sw;
            sw = p; p = pt; pt = sw;
            sw = z; z = zt; zt = sw;
            g = gt;
            zn2 = frob2(z, z);
            if (g > bestG) { bestG = g; System.arraycopy(c, 0, bestC, 0, nn); }
            if (Math.sqrt(zn2) < tol) done = true;
        }
    }

    /**
     * The Cayley retraction C -> C (I - h W)^{-1} (I + h W) with h = s / 2 and W skew, written as
     * 2 C (I - h W)^{-1} - C, i.e. 2 Y^T - C where (I + h W) Y = C^T. I + h W has the identity as
     * its symmetric part, so it is never singular (every eigenvalue has real part 1) and Gaussian
     * elimination needs no pivoting; the ascent caps |h W|_F at MAX_STEP / 2, which bounds the
     * growth of the factors. The elimination's row updates (n^3/3 operations) and the substitutions over
     * the n right-hand sides (n^3) run with the columns in vector registers, without allocation, and
     * round every entry as the scalar code did (the results are the same to the bit): this step was a
     * quarter to a third of an iteration's work.
     */
    static final class CayleyStep {
        final int n;
        final double[] m, lower, r, work;

        CayleyStep(int n) {
            this.n = n;
            this.m = new double[n * n];
            this.lower = new double[n * n];
            this.r = new double[n * n];
            this.work = new double[n * n];
        }

        boolean apply(double[] c, double[] w, double s, double[] out) {
            double h = 0.5 * s;
            for (int i = 0; i < n * n; i++) m[i] = h * w[i];
            for (int i = 0; i < n; i++) m[i * n + i] += 1;
            // LU of M: the multipliers go to `lower`, and each eliminated entry of m is set to 0, so
            // the row updates can run over whole rows in vector lanes (0 - l * 0 stays 0), rounding
            // every entry as the scalar right-looking elimination does.
            for (int k = 0; k < n; k++) {
                double inv = 1 / m[k * n + k];
                if (!Double.isFinite(inv)) return false;
                for (int i = k + 1; i < n; i++) {
                    double l = m[i * n + k] * inv;
                    lower[i * n + k] = l;
                    if (l != 0) SmallMat.subScaledRow(n, m, i * n, k * n, l);
                    m[i * n + k] = 0;
                }
            }
            SmallMat.transposeInto(n, c, r);
            SmallMat.luSolveRows(n, lower, m, r, work);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) out[i * n + j] = 2 * r[j * n + i] - c[i * n + j];
            }
            return true;
        }
    }
}
