package io.degen.metrics.dsa;

import io.degen.testkit.Engines;
import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.backend.JavaBackend;
import io.degen.backend.Svd;
import io.degen.io.NdArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HavokDmdTest {
    static NdArray random(int trials, int time, int units, long seed) {
        Random r = new Random(seed);
        double[] d = new double[trials * time * units];
        for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian();
        return NdArray.f64(d, trials, time, units);
    }

    @Test
    void hankelLayoutIsMostRecentFirstAndPerTrial() {
        // x[k][t][u] = 100 k + 10 t + u
        int trials = 2, time = 7, units = 2;
        double[] d = new double[trials * time * units];
        for (int k = 0; k < trials; k++) for (int t = 0; t < time; t++) for (int u = 0; u < units; u++) d[(k * time + t) * units + u] = 100 * k + 10 * t + u;
        DelayEmbedding.Hankel h = DelayEmbedding.embed(NdArray.f64(d, trials, time, units), 3, 2, "X");
        assertEquals(3, h.rowsPerTrial()); // 7 - (3-1)*2
        assertEquals(6, h.rows());
        assertEquals(6, h.cols());
        // trial 1, row t = 2: [x[6], x[4], x[2]]
        int row = 1 * 3 + 2;
        assertArrayEquals(new double[] {160, 161, 140, 141, 120, 121}, Arrays.copyOfRange(h.data(), row * 6, row * 6 + 6));
        int[][] pairs = DelayEmbedding.pairRows(h.trials(), h.rowsPerTrial());
        assertArrayEquals(new int[] {0, 1, 3, 4}, pairs[0]);
        assertArrayEquals(new int[] {1, 2, 4, 5}, pairs[1]);
    }

    @Test
    void rankTwoInputIsOneTrial() {
        NdArray x3 = random(1, 40, 3, 5);
        NdArray x2 = NdArray.f64(x3.data(), 40, 3);
        Operator a = HavokDmd.fit(Engines.JAVA, x3, DsaParams.of(2, 1, 4), "X"), b = HavokDmd.fit(Engines.JAVA, x2, DsaParams.of(2, 1, 4), "X");
        assertArrayEquals(a.a().data(), b.a().data(), 0.0);
        assertEquals(1, b.trials());
    }

    @Test
    void lagGramEqualsHankelGram() {
        NdArray x = random(3, 23, 4, 1);
        for (int[] di : new int[][] {{1, 1}, {3, 2}, {4, 1}, {2, 5}}) {
            DelayEmbedding.Hankel h = DelayEmbedding.embed(x, di[0], di[1], "X");
            int m = h.rows(), n = h.cols();
            double[] g = HavokDmd.hankelGram(new JavaBackend(), x, di[0], di[1]);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int r = 0; r < m; r++) s += h.get(r, i) * h.get(r, j);
                    assertEquals(s, g[i * n + j], 1e-10 * (1 + Math.abs(s)), "G[" + i + "," + j + "] for " + Arrays.toString(di));
                }
            }
        }
    }

    @Test
    void gramAndSvdRoutesAgree() {
        NdArray x = RandomTanhRnn.trajectories(12, 6, 40, 1.5, 0.1, 3);
        DsaParams p = DsaParams.of(3, 1, 8);
        Operator viaSvd = HavokDmd.fit(new JavaBackend(), x, p, "X", "svd");
        Operator viaGram = HavokDmd.fit(new JavaBackend(), x, p, "X", "gram");
        assertEquals("svd", viaSvd.method());
        assertEquals("gram", viaGram.method());
        assertArrayEquals(viaSvd.a().data(), viaGram.a().data(), 1e-7);
    }

    /**
     * The engine is a factory argument: on mkl (LAPACK's dsyevr computes only the top r
     * eigenpairs of the Gram matrix) the fitted operators and DSA distances equal the java
     * engine's (EJML, full decomposition) to rounding. Skipped with the reason where MKL does not load.
     */
    @Test
    void mklEngineFitsTheSameOperators() {
        String why = Backends.unavailableReason("mkl");
        Assumptions.assumeTrue(why == null, "mkl engine unavailable: " + why);
        DsaParams p = DsaParams.of(4, 1, 10);
        try (Backend mkl = Backends.create("mkl")) {
            DsaMetric onJava = new DsaMetric(p, Engines.JAVA), onMkl = new DsaMetric(p, mkl);
            NdArray x = RandomTanhRnn.trajectories(48, 32, 60, 1.5, 0.1, 4), y = RandomTanhRnn.trajectories(48, 32, 60, 1.4, 0.1, 5);
            Operator jx = onJava.fit(x), mx = onMkl.fit(x), jy = onJava.fit(y), my = onMkl.fit(y);
            assertEquals("gram", jx.method());
            assertEquals("gram", mx.method());
            assertArrayEquals(jx.a().data(), mx.a().data(), 1e-8);
            assertArrayEquals(jx.singularValues(), mx.singularValues(), 1e-9 * jx.singularValues()[0]);
            assertEquals(onJava.distance(jx, jy), onMkl.distance(mx, my), 1e-7);
        }
    }

    /** x_{t+1} = M x_t exactly: with full rank and no delays the HAVOK spectrum is M's, which fails if pairs crossed trials. */
    @Test
    void linearSystemSpectrumRecoveredWithinTrials() {
        int n = 4, trials = 5, time = 30;
        double[] m = {0.9, -0.3, 0, 0, 0.3, 0.9, 0, 0, 0, 0, 0.7, 0.1, 0, 0, 0, -0.5};
        Random r = new Random(2);
        double[] d = new double[trials * time * n];
        for (int k = 0; k < trials; k++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = 5 * r.nextGaussian();
            for (int t = 0; t < time; t++) {
                System.arraycopy(x, 0, d, (k * time + t) * n, n);
                double[] nx = new double[n];
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) nx[i] += m[i * n + j] * x[j];
                x = nx;
            }
        }
        Operator op = HavokDmd.fit(Engines.JAVA, NdArray.f64(d, trials, time, n), DsaParams.of(1, 1, DsaParams.FULL_RANK), "X");
        assertEquals(4, op.rank());
        double[][] ev = op.eigenvalues(Engines.JAVA);
        double[][] want = {{0.9, 0.3}, {0.9, -0.3}, {0.7, 0}, {-0.5, 0}};
        for (double[] w : want) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] e : ev) best = Math.min(best, Math.hypot(e[0] - w[0], e[1] - w[1]));
            assertTrue(best < 1e-8, "eigenvalue " + Arrays.toString(w) + " missed by " + best);
        }
    }

    @Test
    void ridgeMatchesNormalEquations() {
        NdArray x = random(4, 30, 3, 9);
        double lambda = 0.05;
        int r = 5;
        Operator op = HavokDmd.fit(Engines.JAVA, x, DsaParams.of(2, 1, r).withRidge(lambda), "X");
        // reference: V from an independent SVD, X = (Vm^T Vm + lambda I)^{-1} Vm^T Vp, A = X^T
        DelayEmbedding.Hankel h = DelayEmbedding.embed(x, 2, 1, "X");
        Svd svd = new JavaBackend().svd(h.rows(), h.cols(), h.data());
        int k = svd.k();
        int[][] pr = DelayEmbedding.pairRows(h.trials(), h.rowsPerTrial());
        int np = pr[0].length;
        double[] ata = new double[r * r], atb = new double[r * r];
        for (int q = 0; q < np; q++) {
            for (int i = 0; i < r; i++) {
                double vi = svd.u()[pr[0][q] * k + i];
                for (int j = 0; j < r; j++) {
                    ata[i * r + j] += vi * svd.u()[pr[0][q] * k + j];
                    atb[i * r + j] += vi * svd.u()[pr[1][q] * k + j];
                }
            }
        }
        for (int i = 0; i < r; i++) ata[i * r + i] += lambda;
        double[] xs = new JavaBackend().lstsq(r, r, r, ata, atb);
        // column signs of V may differ: compare A up to A -> D A D
        double[] a = op.a().data();
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) assertEquals(Math.abs(xs[j * r + i]), Math.abs(a[i * r + j]), 1e-9);
        }
        Operator ols = HavokDmd.fit(Engines.JAVA, x, DsaParams.of(2, 1, r), "X");
        assertTrue(op.norm() < ols.norm(), "ridge must shrink the operator");
    }
}
