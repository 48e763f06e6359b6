package io.degen.metrics.weights;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearAssignmentF32Test {

    private static void assertPermutation(int[] p, int n) {
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            assertTrue(p[i] >= 0 && p[i] < n && !seen[p[i]], "not a permutation: " + Arrays.toString(p));
            seen[p[i]] = true;
        }
    }

    /** Same optimum as the exact double solver up to float rounding of the costs, on reused instances. */
    @Test
    void matchesDoubleSolverUpToRounding() {
        Random rng = new Random(7);
        for (int n : new int[] {1, 2, 3, 5, 8, 13, 31, 64, 128}) {
            LinearAssignmentF32 f = new LinearAssignmentF32(n);
            LinearAssignment d = new LinearAssignment(n);
            for (int t = 0; t < 6; t++) {
                double[] c = new double[n * n];
                for (int k = 0; k < c.length; k++) c[k] = t % 3 == 2 ? rng.nextInt(4) - 1.5 : rng.nextGaussian();
                boolean max = t % 2 == 0;
                int[] pf = f.solveInto(c, max, new int[n]);
                assertPermutation(pf, n);
                double exact = LinearAssignment.cost(c, n, d.solveInto(c, max, new int[n]));
                double got = LinearAssignment.cost(c, n, pf);
                assertEquals(exact, got, 1e-5 * n, "n=" + n + " t=" + t);
            }
        }
    }

    @Test
    void declinesCostsOutsideFloatRange() {
        LinearAssignmentF32 f = new LinearAssignmentF32(2);
        assertNull(f.solveInto(new double[] {1, 2, 3, 1e300}, true, new int[2]));
        assertNull(f.solveInto(new double[] {1, Double.NaN, 3, 4}, false, new int[2]));
        int[] p = f.solveInto(new double[] {1, 0, 0, 1}, true, new int[2]);
        assertEquals(0, p[0]);
        assertEquals(1, p[1]);
    }
}
