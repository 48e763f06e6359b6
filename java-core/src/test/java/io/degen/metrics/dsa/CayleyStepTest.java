package io.degen.metrics.dsa;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unpivoted Cayley solve against the retraction's definition, computed with EJML's inverse. */
class CayleyStepTest {
    @Test
    void matchesTheDefinitionAndStaysOrthogonal() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int n : new int[] {1, 2, 3, 7, 20, 33}) {
            VectorFieldProcrustes.CayleyStep step = new VectorFieldProcrustes.CayleyStep(n);
            for (int trial = 0; trial < 5; trial++) {
                double[] c = VectorFieldProcrustes.haar(n, rnd, trial % 2 == 0 ? 1 : -1);
                double[] w = new double[n * n];
                double f = 0;
                for (int i = 0; i < n; i++) {
                    for (int k = i + 1; k < n; k++) { double v = rnd.nextDouble() - 0.5; w[i * n + k] = v; w[k * n + i] = -v; f += 2 * v * v; }
                }
                // the ascent's largest step: |h W|_F = 0.75; also a tiny and a moderate one
                for (double hw : new double[] {1e-6, 0.2, 0.75}) {
                    double s = f == 0 ? 1 : 2 * hw / Math.sqrt(f);
                    double[] out = new double[n * n];
                    assertTrue(step.apply(c, w, s, out));
                    double[] want = definition(n, c, w, s / 2);
                    for (int i = 0; i < n * n; i++) assertEquals(want[i], out[i], 1e-13, "n " + n + " entry " + i);
                    double[] g = new double[n * n];
                    SmallMat.mulTN(n, out, out, g);
                    for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) assertEquals(i == k ? 1 : 0, g[i * n + k], 1e-13);
                }
            }
        }
    }

    private static double[] definition(int n, double[] c, double[] w, double h) {
        DMatrixRMaj minus = new DMatrixRMaj(n, n), plus = new DMatrixRMaj(n, n);
        for (int i = 0; i < n * n; i++) { minus.data[i] = -h * w[i]; plus.data[i] = h * w[i]; }
        for (int i = 0; i < n; i++) { minus.add(i, i, 1); plus.add(i, i, 1); }
        DMatrixRMaj inv = new DMatrixRMaj(n, n), t = new DMatrixRMaj(n, n), out = new DMatrixRMaj(n, n);
        CommonOps_DDRM.invert(minus, inv);
        CommonOps_DDRM.mult(inv, plus, t);
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(n, n, c), t, out);
        return out.data;
    }
}
