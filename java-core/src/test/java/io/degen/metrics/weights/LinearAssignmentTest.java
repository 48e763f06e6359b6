package io.degen.metrics.weights;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearAssignmentTest {

    /** Brute-force optimum over all permutations. */
    private static double bruteForce(double[] c, int n, boolean maximize) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        double[] best = {maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY};
        permute(p, 0, c, n, maximize, best);
        return best[0];
    }

    private static void permute(int[] p, int k, double[] c, int n, boolean max, double[] best) {
        if (k == n) {
            double s = LinearAssignment.cost(c, n, p);
            if (max ? s > best[0] : s < best[0]) best[0] = s;
            return;
        }
        for (int i = k; i < n; i++) {
            int t = p[k]; p[k] = p[i]; p[i] = t;
            permute(p, k + 1, c, n, max, best);
            t = p[k]; p[k] = p[i]; p[i] = t;
        }
    }

    private static void assertPermutation(int[] p, int n) {
        assertEquals(n, p.length);
        boolean[] seen = new boolean[n];
        for (int j : p) {
            assertTrue(j >= 0 && j < n, "column out of range: " + j);
            assertTrue(!seen[j], "column used twice: " + j);
            seen[j] = true;
        }
    }

    /** Random matrices of several flavours: continuous, small integers (many ties), constant rows. */
    private static double[] randomCost(Random rng, int n, int flavour) {
        double[] c = new double[n * n];
        for (int i = 0; i < c.length; i++) {
            switch (flavour) {
                case 0: c[i] = rng.nextGaussian() * 10; break;
                case 1: c[i] = rng.nextInt(4) - 2; break;           // heavy ties, negatives
                case 2: c[i] = rng.nextInt(2); break;               // 0/1
                case 3: c[i] = (i / n) * 3.0 - 5; break;            // each row constant: all assignments tie
                default: c[i] = rng.nextDouble() * 1e6 - 5e5; break; // wide range
            }
        }
        return c;
    }

    @Test
    void matchesBruteForceOnAllSmallSizes() {
        Random rng = new Random(1234);
        for (int n = 1; n <= 8; n++) {
            int trials = n <= 6 ? 300 : 60;
            for (int t = 0; t < trials; t++) {
                double[] c = randomCost(rng, n, t % 5);
                for (boolean max : new boolean[] {false, true}) {
                    int[] p = LinearAssignment.solve(c, n, max);
                    assertPermutation(p, n);
                    double got = LinearAssignment.cost(c, n, p);
                    double want = bruteForce(c, n, max);
                    assertEquals(want, got, 1e-9 * (1 + Math.abs(want)), "n=" + n + " trial=" + t + " max=" + max);
                }
            }
        }
    }

    @Test
    void knownSmallCase() {
        double[][] c = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        assertArrayEquals(new int[] {1, 0, 2}, LinearAssignment.solve(c, false));
        assertEquals(5.0, LinearAssignment.cost(new double[] {4, 1, 3, 2, 0, 5, 3, 2, 2}, 3, LinearAssignment.solve(c, false)));
        assertEquals(11.0, LinearAssignment.cost(new double[] {4, 1, 3, 2, 0, 5, 3, 2, 2}, 3, LinearAssignment.solve(c, true)));
    }

    /**
     * The tie rule, which decides among equal-cost optima (so results are reproducible across
     * versions): column reduction keeps the first row of a column minimum, a row matched to several
     * columns takes the last of them (JV's order), and the shortest-path search takes the first
     * column at the lowest distance, preferring a free one. For C with row 0 = [1, 0, ..., 0] and
     * every other row [0, 1, ..., 1]: row 0 takes column n-1, row 1 column 0; the reduction transfer
     * makes every reduced cost of the free rows 0, so row k (k >= 2) passes over the assigned
     * column 0 to the first free column, k - 1. Derived by hand, at sizes inside one vector, across
     * lanes and with scalar tails.
     */
    @Test
    void tieRuleIsFirstColumnPreferringAFreeOne() {
        for (int n : new int[] {3, 4, 5, 9, 64, 131}) {
            double[] c = new double[n * n], zeros = new double[n * n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) c[i * n + j] = i == 0 ? (j == 0 ? 1 : 0) : (j == 0 ? 0 : 1);
            int[] want = new int[n];
            want[0] = n - 1;
            for (int i = 1; i < n; i++) want[i] = i - 1;
            assertArrayEquals(want, LinearAssignment.solve(c, n, false), "n = " + n);
            // All costs equal: row 0 holds the last column, the others take the free columns in order.
            assertArrayEquals(want, LinearAssignment.solve(zeros, n, false), "zeros, n = " + n);
        }
    }

    @Test
    void emptyAndSingleton() {
        assertEquals(0, LinearAssignment.solve(new double[0], 0, false).length);
        assertArrayEquals(new int[] {0}, LinearAssignment.solve(new double[] {-7}, 1, true));
    }

    /**
     * Optimality certificate at n = 200 and n = 203 (not a multiple of any vector width, so the
     * scalar tails of the row scans run too): dual feasibility and complementary slackness.
     */
    @Test
    void dualCertificateOnLargeMatrices() {
        Random rng = new Random(99);
        for (int n : new int[] {200, 203})
        for (int flavour = 0; flavour < 5; flavour++) {
            double[] c = randomCost(rng, n, flavour);
            for (boolean max : new boolean[] {false, true}) {
                LinearAssignment la = new LinearAssignment(n);
                int[] p = la.solveInto(c, max, new int[n]);
                assertPermutation(p, n);
                double[] u = la.rowDual(), v = la.colDual();
                double sign = max ? -1 : 1, scale = 1;
                for (double x : c) scale = Math.max(scale, Math.abs(x));
                double tol = 1e-9 * scale;
                double primal = 0, dual = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double red = sign * c[i * n + j] - u[i] - v[j];
                        assertTrue(red >= -tol, "reduced cost " + red + " at (" + i + "," + j + ") flavour " + flavour);
                    }
                    assertEquals(0.0, sign * c[i * n + p[i]] - u[i] - v[p[i]], tol, "slackness row " + i);
                    primal += sign * c[i * n + p[i]];
                    dual += u[i] + v[i];
                }
                // Strong duality: primal == dual objective.
                assertEquals(primal, dual, 1e-9 * scale * n);
            }
        }
    }

    /** Independent check at n = 200: maximising C equals minimising -C, and min over C is <= any random assignment. */
    @Test
    void maximiseEqualsMinimiseNegated() {
        Random rng = new Random(7);
        int n = 200;
        double[] c = randomCost(rng, n, 0), neg = new double[n * n];
        for (int i = 0; i < c.length; i++) neg[i] = -c[i];
        double max = LinearAssignment.cost(c, n, LinearAssignment.solve(c, n, true));
        double minNeg = LinearAssignment.cost(neg, n, LinearAssignment.solve(neg, n, false));
        assertEquals(max, -minNeg, 1e-9 * Math.abs(max));
        double min = LinearAssignment.cost(c, n, LinearAssignment.solve(c, n, false));
        for (int t = 0; t < 200; t++) {
            int[] p = PifMetric.identity(n);
            for (int i = n - 1; i > 0; i--) { int k = rng.nextInt(i + 1); int s = p[i]; p[i] = p[k]; p[k] = s; }
            double x = LinearAssignment.cost(c, n, p);
            assertTrue(x >= min - 1e-9 && x <= max + 1e-9);
        }
    }

    @Test
    void reusedInstanceGivesSameAnswers() {
        Random rng = new Random(5);
        int n = 30;
        LinearAssignment la = new LinearAssignment(n);
        int[] out = new int[n];
        for (int t = 0; t < 20; t++) {
            double[] c = randomCost(rng, n, t % 5);
            la.solveInto(c, t % 2 == 0, out);
            assertEquals(LinearAssignment.cost(c, n, LinearAssignment.solve(c, n, t % 2 == 0)), LinearAssignment.cost(c, n, out), 1e-9);
        }
    }

    @Test
    void rejectsBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearAssignment.solve(new double[] {1, Double.NaN, 2, 3}, 2, false));
        assertTrue(e.getMessage().contains("(0, 1)") && e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(new double[] {1, 2, 3}, 2, false));
        // Last entry of a 3 x 3 matrix: past the vector loop, in the scalar tail.
        e = assertThrows(IllegalArgumentException.class,
                () -> LinearAssignment.solve(new double[] {1, 2, 3, 4, 5, 6, 7, 8, Double.POSITIVE_INFINITY}, 3, true));
        assertTrue(e.getMessage().contains("(2, 2)") && e.getMessage().contains("Infinity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(new double[] {Double.NEGATIVE_INFINITY}, 1, true));
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(new double[][] {{1, 2}, {3}}, false));
    }
}
