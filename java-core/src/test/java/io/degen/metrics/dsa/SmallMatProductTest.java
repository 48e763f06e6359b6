package io.degen.metrics.dsa;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The r x r products against a scalar reference that accumulates each entry the way the kernels
 * promise to: fused multiply-adds in k order from zero. Equality is to the bit, because the DSA
 * search is chaotic enough that a last-bit change in a product can tip which of two nearly equal
 * optima a pair ends in (docs/metrics-dsa.md); the four-row kernel must not change any result.
 */
class SmallMatProductTest {
    /** The lane count the kernels use. */
    private static final int L = DoubleVector.SPECIES_PREFERRED.length();

    @Test
    void productsEqualTheFmaReferenceToTheBit() {
        SplittableRandom rnd = new SplittableRandom(11);
        // below the lane count, at it, the DSA rank 20 (overlapping last vector), row counts that are
        // and are not multiples of the four-row block, and a width past two vectors
        for (int n : new int[] {1, 3, 7, 8, 9, 16, 20, 21, 23, 33}) {
            double[] x = new double[n * n], y = new double[n * n];
            for (int i = 0; i < n * n; i++) { x[i] = rnd.nextDouble() - 0.5; y[i] = rnd.nextDouble() - 0.5; }
            double[] out = new double[n * n];
            SmallMat.mul(n, x, y, out);
            assertBitwise(n, reference(n, x, y, false), out, "x y");
            SmallMat.mulTN(n, x, y, out);
            assertBitwise(n, reference(n, x, y, true), out, "x^T y");
        }
    }

    private static double[] reference(int n, double[] x, double[] y, boolean transposeX) {
        double[] r = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int k = 0; k < n; k++) {
                    double xik = transposeX ? x[k * n + i] : x[i * n + k];
                    // below the lane count the kernels fall back to scalar multiply-then-add
                    acc = n < L ? acc + xik * y[k * n + j] : Math.fma(xik, y[k * n + j], acc);
                }
                r[i * n + j] = acc;
            }
        }
        return r;
    }

    private static void assertBitwise(int n, double[] want, double[] got, String what) {
        for (int e = 0; e < n * n; e++) {
            assertEquals(Double.doubleToRawLongBits(want[e]), Double.doubleToRawLongBits(got[e]),
                    what + " at n = " + n + ", entry (" + e / n + ", " + e % n + "): " + want[e] + " vs " + got[e]);
        }
    }
}
