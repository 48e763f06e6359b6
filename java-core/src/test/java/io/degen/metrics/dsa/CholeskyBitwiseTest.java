package io.degen.metrics.dsa;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four-rows-at-a-time Cholesky factor against the row-by-row one it replaced (each entry one
 * dot product of two rows, SmallMat.dot): equal to the bit, since the Newton finish of the DSA
 * search must not move by a last bit.
 */
class CholeskyBitwiseTest {
    @Test
    void blockedFactorEqualsTheRowByRowOneToTheBit() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int d : new int[] {1, 3, 4, 5, 8, 17, 28, 45, 190}) {
            double[] g = new double[d * d], a = new double[d * d];
            for (int i = 0; i < d * d; i++) g[i] = rnd.nextDouble() - 0.5;
            for (int i = 0; i < d; i++) {
                for (int k = 0; k < d; k++) a[i * d + k] = SmallMat.dot(d, g, i * d, g, k * d);
            }
            double shift = 1e-3;
            double[] got = new double[d * d], want = new double[d * d];
            assertTrue(SmallMat.cholesky(d, a, shift, got));
            assertTrue(rowByRow(d, a, shift, want));
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    assertEquals(Double.doubleToRawLongBits(want[i * d + j]), Double.doubleToRawLongBits(got[i * d + j]),
                            "d = " + d + ", entry (" + i + ", " + j + ")");
                }
            }
            if (d > 4) {  // a failing pivot past the first block is still reported
                a[(d - 1) * d + d - 1] = -1;
                assertFalse(SmallMat.cholesky(d, a, 0, got));
            }
        }
    }

    private static boolean rowByRow(int d, double[] a, double shift, double[] l) {
        for (int i = 0; i < d; i++) {
            int ri = i * d;
            for (int j = 0; j < i; j++) {
                int rj = j * d;
                l[ri + j] = (a[ri + j] - SmallMat.dot(j, l, ri, l, rj)) / l[rj + j];
            }
            double diag = a[ri + i] + shift - SmallMat.dot(i, l, ri, l, ri);
            if (!(diag > 0)) return false;
            l[ri + i] = Math.sqrt(diag);
        }
        return true;
    }
}
