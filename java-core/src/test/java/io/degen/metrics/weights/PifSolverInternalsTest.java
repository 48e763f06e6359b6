package io.degen.metrics.weights;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The incremental bookkeeping inside {@link QapSolver} against direct recomputation. */
class PifSolverInternalsTest {

    private static double[] gaussian(Random rng, int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < m.length; i++) m[i] = rng.nextGaussian();
        return m;
    }

    private static int[] shuffled(Random rng, int n) {
        int[] p = PifMetric.identity(n);
        for (int i = n - 1; i > 0; i--) { int k = rng.nextInt(i + 1); int t = p[i]; p[i] = p[k]; p[k] = t; }
        return p;
    }

    /**
     * The Frank-Wolfe iterate is kept as scale * p with its norm tracked step by step; long runs
     * (tol 0) must still give a doubly stochastic P whose tracked norm equals the recomputed one,
     * through full steps (P = Q) and through the folding of a vanishing scale into p.
     */
    @Test
    void frankWolfeIterateStaysDoublyStochasticOverLongRuns() {
        Random rng = new Random(21);
        int full = 0, rescaled = 0;
        for (int n : new int[] {6, 11, 30}) {
            for (int trial = 0; trial < 6; trial++) {
                double[] a = gaussian(rng, n), b = gaussian(rng, n);
                try (QapSolver s = new QapSolver(new io.degen.backend.JavaBackend(), a, b, n)) {
                    // Folding happens in long real runs only; here every few steps, in a third of the trials.
                    if (trial % 3 == 0) s.foldBelow = 0.3;
                    if (trial % 2 == 0) s.startBarycenter();
                    else s.startRandomized(new SplittableRandom(trial));
                    int[] out = new int[n];
                    int iters = s.faq(5000, 0.0, out);
                    double[] p = s.iterate();
                    double norm = 0;
                    for (int i = 0; i < n; i++) {
                        double row = 0, col = 0;
                        for (int j = 0; j < n; j++) {
                            row += p[i * n + j];
                            col += p[j * n + i];
                            assertTrue(p[i * n + j] >= 0, "negative entry");
                            norm += p[i * n + j] * p[i * n + j];
                        }
                        assertEquals(1.0, row, 1e-9, "row " + i + " sum, n=" + n + " trial " + trial + " after " + iters + " iterations");
                        assertEquals(1.0, col, 1e-9, "column " + i + " sum");
                    }
                    assertEquals(norm, s.trackedNormSq(), 1e-9 * norm, "tracked ||P||^2, n=" + n + " trial " + trial);
                    full += s.fullSteps;
                    rescaled += s.rescales;
                }
            }
        }
        assertTrue(full > 0, "no run took a full step; the test does not cover that path");
        assertTrue(rescaled > 0, "no run folded the scale in; the test does not cover that path");
    }

    /** After local search no single swap improves F, and F never decreased. */
    @Test
    void localSearchEndsAtTwoSwapOptimum() {
        Random rng = new Random(3);
        for (int n : new int[] {9, 17, 40}) {
            double[] a = gaussian(rng, n), b = gaussian(rng, n);
            QapSolver s = new QapSolver(new io.degen.backend.JavaBackend(), a, b, n);
            int[] p = shuffled(rng, n);
            double before = s.objective(p);
            int moves = s.localSearch(p, 100000);
            double after = s.objective(p);
            assertTrue(after >= before, "local search lowered F");
            assertTrue(moves > 0);
            for (int r = 0; r < n; r++) {
                for (int t = r + 1; t < n; t++) {
                    int[] q = p.clone();
                    q[r] = p[t]; q[t] = p[r];
                    assertTrue(s.objective(q) <= after + 1e-9, "swap (" + r + "," + t + ") still improves");
                }
            }
        }
    }

    /** The gain table kept incrementally during a search matches brute-force F(p') - F(p). */
    @Test
    void incrementalGainsMatchBruteForce() {
        Random rng = new Random(11);
        int n = 12;
        double[] a = gaussian(rng, n), b = gaussian(rng, n);
        QapSolver s = new QapSolver(new io.degen.backend.JavaBackend(), a, b, n);
        for (int moves = 1; moves <= 6; moves++) {
            int[] p = shuffled(new Random(moves), n);
            int done = s.localSearch(p, moves);
            double f = s.objective(p);
            if (done < moves) continue; // converged before the cap: table was refreshed
            for (int r = 0; r < n; r++) {
                for (int t = r + 1; t < n; t++) {
                    int[] q = p.clone();
                    q[r] = p[t]; q[t] = p[r];
                    assertEquals(s.objective(q) - f, s.gainFor(r, t), 1e-9, "gain (" + r + "," + t + ") after " + moves + " moves");
                }
            }
        }
    }

    /** FAQ returns a valid permutation and recovers an exact relabelling of a random matrix. */
    @Test
    void faqRecoversPlantedPermutation() {
        Random rng = new Random(21);
        int n = 30;
        double[] a = gaussian(rng, n);
        int[] planted = shuffled(rng, n);
        // b[planted[i]][planted[j]] = a[i][j]  =>  a == b[planted][:, planted]
        double[] b = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) b[planted[i] * n + planted[j]] = a[i * n + j];
        QapSolver s = new QapSolver(new io.degen.backend.JavaBackend(), a, b, n);
        int[] out = new int[n];
        s.startRandomized(new SplittableRandom(1));
        s.faq(30, 0.03, out);
        s.localSearch(out, 100000);
        assertEquals(0.0, PifMetric.frobenius(a, b, n, out), 1e-9);
    }
}
