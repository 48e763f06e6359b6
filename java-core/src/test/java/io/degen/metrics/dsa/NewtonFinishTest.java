package io.degen.metrics.dsa;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The exact Hessian of the alignment objective, the Cholesky kernel it is solved with, and the Newton finish. */
class NewtonFinishTest {
    static final int N = 20, D = N * (N - 1) / 2;
    static double[] a, b;

    @BeforeAll
    static void operators() {
        // two rank-20 HAVOK operators of random tanh networks: flat valleys like trained networks' pairs
        try (Backend be = Backends.create("java")) {
            DsaMetric m = new DsaMetric(DsaParams.of(5, 1, N), be);
            a = unit(m.fit(RandomTanhRnn.trajectories(64, 16, 100, 1.4, 0.1, 1)).a().data());
            b = unit(m.fit(RandomTanhRnn.trajectories(64, 16, 100, 1.5, 0.1, 2)).a().data());
        }
        if (Arrays.compare(a, b) > 0) { double[] t = a; a = b; b = t; }
    }

    static double[] unit(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        double[] out = x.clone();
        for (int i = 0; i < out.length; i++) out[i] /= Math.sqrt(s);
        return out;
    }

    /** g(C cayley(W)) with W = sum_e w_e E_e. */
    static double objective(double[] c, double[] w) {
        double[] full = new double[N * N], ct = new double[N * N];
        for (int i = 0, e = 0; i < N; i++) for (int k = i + 1; k < N; k++, e++) { full[i * N + k] = w[e]; full[k * N + i] = -w[e]; }
        assertTrue(new VectorFieldProcrustes.CayleyStep(N).apply(c, full, 1.0, ct));
        VectorFieldProcrustes.Ascent q = new VectorFieldProcrustes.Ascent(N, a, b, 1);
        q.start(ct);
        return q.g;
    }

    @Test
    void theHessianIsTheSecondDerivativeOfTheObjective() {
        // second differences of g along pairs of coordinate directions, at a point that is not critical
        VectorFieldProcrustes.Ascent r = new VectorFieldProcrustes.Ascent(N, a, b, 1e-3);
        r.start(VectorFieldProcrustes.haar(N, new java.util.SplittableRandom(3), 1));
        r.run(15);
        double[] h = new double[D * D];
        r.hessian(r.p, h);
        double step = 1e-4, worst = 0, scale = 0;
        Random rnd = new Random(4);
        for (int t = 0; t < 40; t++) {
            int e = rnd.nextInt(D), f = rnd.nextInt(D);
            double[] pp = new double[D], pm = new double[D], mp = new double[D], mm = new double[D];
            pp[e] += step; pp[f] += step; pm[e] += step; pm[f] -= step; mp[e] -= step; mp[f] += step; mm[e] -= step; mm[f] -= step;
            double fd = (objective(r.c, pp) - objective(r.c, pm) - objective(r.c, mp) + objective(r.c, mm)) / (4 * step * step);
            // the Cayley map's second-order term is W^2 / 2, as the exponential's, so the Hessians agree
            worst = Math.max(worst, Math.abs(fd - h[e * D + f]));
            scale = Math.max(scale, Math.abs(h[e * D + f]));
        }
        assertTrue(scale > 1e-3, "a Hessian of scale " + scale);
        assertTrue(worst < 1e-5, "|H - finite differences| = " + worst + " at scale " + scale);
    }

    @Test
    void choleskySolvesASymmetricPositiveDefiniteSystemAndRejectsAnIndefiniteOne() {
        Random rnd = new Random(7);
        int d = 37;
        double[] m = new double[d * d], x = new double[d], l = new double[d * d];
        for (int i = 0; i < d * d; i++) m[i] = rnd.nextGaussian();
        double[] spd = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) { double s = 0; for (int k = 0; k < d; k++) s += m[i * d + k] * m[j * d + k]; spd[i * d + j] = s; }
        for (int i = 0; i < d; i++) x[i] = rnd.nextGaussian();
        double shift = 0.5;
        double[] rhs = new double[d];
        for (int i = 0; i < d; i++) { double s = shift * x[i]; for (int j = 0; j < d; j++) s += spd[i * d + j] * x[j]; rhs[i] = s; }
        assertTrue(SmallMat.cholesky(d, spd, shift, l));
        SmallMat.choleskySolve(d, l, rhs);
        for (int i = 0; i < d; i++) assertEquals(x[i], rhs[i], 1e-9, "x[" + i + "]");
        double[] indefinite = spd.clone();
        indefinite[5 * d + 5] = -1e3;
        assertFalse(SmallMat.cholesky(d, indefinite, 0, l));
    }

    @Test
    void theNewtonFinishConvergesQuadraticallyWhereFirstOrderStepsCrawl() {
        VectorFieldProcrustes.Ascent lbfgs = new VectorFieldProcrustes.Ascent(N, a, b, 1e-4), newton = new VectorFieldProcrustes.Ascent(N, a, b, 1e-4);
        double[] c0 = VectorFieldProcrustes.haar(N, new java.util.SplittableRandom(5), 1);
        lbfgs.start(c0);
        newton.start(c0);
        lbfgs.run(2000);
        newton.run(2000);
        int before = newton.iter;
        assertTrue(newton.newton(VectorFieldProcrustes.NEWTON_STEPS, VectorFieldProcrustes.NEWTON_TOL), "|Z| " + Math.sqrt(newton.zn2));
        int newtonSteps = newton.iter - before;
        lbfgs.tighten(1e-9);
        int lbfgsSteps = lbfgs.run(20000);
        assertTrue(newtonSteps <= VectorFieldProcrustes.NEWTON_STEPS && lbfgsSteps > 5 * newtonSteps,
                "Newton " + newtonSteps + " steps to 1e-11, L-BFGS " + lbfgsSteps + " to 1e-9");
        // the same local maximum, and Newton's value at least as high
        assertTrue(newton.bestG >= lbfgs.bestG - 1e-12, newton.bestG + " vs " + lbfgs.bestG);
        assertEquals(lbfgs.bestG, newton.bestG, 1e-9);
    }

    @Test
    void theAlignmentIsExactToRoundingNotToTheGradientTolerance() {
        // a finalist's value no longer depends on where a first-order run stopped: two different
        // screening tolerances give the same distance to 1e-12 when they pick the same basin
        VectorFieldProcrustes.Options o = VectorFieldProcrustes.Options.defaults();
        VectorFieldProcrustes.Options looser = new VectorFieldProcrustes.Options(o.randomStarts(), o.seed(), o.screenTol(), o.maxIters(), 1e-3, o.finalists());
        double d1 = VectorFieldProcrustes.align(new io.degen.util.Mat(N, N, a), new io.degen.util.Mat(N, N, b), o).angular();
        double d2 = VectorFieldProcrustes.align(new io.degen.util.Mat(N, N, a), new io.degen.util.Mat(N, N, b), looser).angular();
        assertEquals(d1, d2, 1e-12);
    }
}
