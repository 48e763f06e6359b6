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
