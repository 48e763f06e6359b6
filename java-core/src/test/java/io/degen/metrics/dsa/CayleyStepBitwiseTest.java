package io.degen.metrics.dsa;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Cayley step, whose elimination runs over whole rows in vector lanes, against the scalar
 * right-looking elimination it replaced (multiply, then subtract, on the entries right of the
 * pivot only) followed by the same substitutions written with Math.fma: equal to the bit, because
 * a last-bit change in the search can tip which of two nearly equal optima a DSA pair ends in.
 */
class CayleyStepBitwiseTest {
    private static final int L = DoubleVector.SPECIES_PREFERRED.length();

    @Test
    void vectorEliminationRoundsAsTheScalarOne() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n : new int[] {1, 2, 5, 8, 9, 16, 20, 21, 33}) {
            VectorFieldProcrustes.CayleyStep step = new VectorFieldProcrustes.CayleyStep(n);
            for (int trial = 0; trial < 4; trial++) {
                double[] c = VectorFieldProcrustes.haar(n, rnd, trial % 2 == 0 ? 1 : -1);
                double[] w = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int k = i + 1; k < n; k++) { double v = rnd.nextDouble() - 0.5; w[i * n + k] = v; w[k * n + i] = -v; }
                }
                double s = 0.3 + trial;
                double[] out = new double[n * n];
                assertTrue(step.apply(c, w, s, out));
                double[] want = scalarReference(n, c, w, s);
                for (int e = 0; e < n * n; e++) {
                    assertEquals(Double.doubleToRawLongBits(want[e]), Double.doubleToRawLongBits(out[e]),
                            "n = " + n + ", trial " + trial + ", entry " + e + ": " + want[e] + " vs " + out[e]);
                }
            }
        }
    }

    private static double[] scalarReference(int n, double[] c, double[] w, double s) {
        double h = 0.5 * s;
        double[] m = new double[n * n];
        for (int i = 0; i < n * n; i++) m[i] = h * w[i];
        for (int i = 0; i < n; i++) m[i * n + i] += 1;
        for (int k = 0; k < n; k++) {
            double inv = 1 / m[k * n + k];
            for (int i = k + 1; i < n; i++) {
                double l = m[i * n + k] * inv;
                m[i * n + k] = l;
                if (l != 0) for (int j = k + 1; j < n; j++) m[i * n + j] -= l * m[k * n + j];
            }
        }
        double[] r = new double[n * n], y = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) r[j * n + i] = c[i * n + j];
        for (int i = 0; i < n; i++) {           // forward: unit lower factor
            for (int j = 0; j < n; j++) {
                double acc = r[i * n + j];
                for (int k = 0; k < i; k++) acc = sub(acc, m[i * n + k], y[k * n + j], n);
                y[i * n + j] = acc;
            }
        }
        for (int i = n - 1; i >= 0; i--) {      // backward: upper factor
            double scale = 1 / m[i * n + i];
            for (int j = 0; j < n; j++) {
                double acc = y[i * n + j];
                for (int k = i + 1; k < n; k++) acc = sub(acc, m[i * n + k], r[k * n + j], n);
                r[i * n + j] = scale * acc;
            }
        }
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) out[i * n + j] = 2 * r[j * n + i] - c[i * n + j];
        return out;
    }

    /** acc - f x as the substitution kernels round it: fused at and above the lane count, scalar below. */
    private static double sub(double acc, double f, double x, int n) {
        return n < L ? acc - f * x : Math.fma(x, -f, acc);
    }
}
