package io.degen.backend;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The block Krylov solver against EJML's full decomposition, on the matrices HAVOK gives it and on hard cases. */
class KrylovEigTest {

    /** Q diag(lambda) Q^T for a Haar-ish random orthogonal Q (Gram-Schmidt of a Gaussian). */
    private static double[] withSpectrum(Random r, double[] lambda) {
        int n = lambda.length;
        double[] q = new double[n * n];
        for (int i = 0; i < n * n; i++) q[i] = r.nextGaussian();
        for (int c = 0; c < n; c++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int e = 0; e < c; e++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += q[i * n + e] * q[i * n + c];
                    for (int i = 0; i < n; i++) q[i * n + c] -= dot * q[i * n + e];
                }
            }
            double s = 0;
            for (int i = 0; i < n; i++) s += q[i * n + c] * q[i * n + c];
            s = Math.sqrt(s);
            for (int i = 0; i < n; i++) q[i * n + c] /= s;
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = 0;
                for (int c = 0; c < n; c++) v += q[i * n + c] * lambda[c] * q[j * n + c];
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        return a;
    }

    /** Largest |x - sign y| over the columns, each column's sign matched. */
    private static double vectorDifference(int n, int k, double[] x, double[] y) {
        double worst = 0;
        for (int c = 0; c < k; c++) {
            double dot = 0;
            for (int i = 0; i < n; i++) dot += x[i * k + c] * y[i * k + c];
            double s = Math.signum(dot);
            for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(x[i * k + c] - s * y[i * k + c]));
        }
        return worst;
    }

    @Test
    void aDelayEmbeddingGramMatrixGivesTheFullDecompositionsPairs() {
        // G = H^T H of a delay embedding of a noisy random tanh network's trajectories: the matrices
        // HAVOK decomposes, with a slowly decaying spectrum (the 20th eigenvalue a few percent of the first).
        Random r = new Random(3);
        int units = 64, delays = 5, time = 400, n = units * delays, k = 20;
        double[] w = new double[units * units], x = new double[time * units], h = new double[units];
        for (int i = 0; i < w.length; i++) w[i] = 1.5 / Math.sqrt(units) * r.nextGaussian();
        for (int i = 0; i < units; i++) h[i] = r.nextGaussian();
        for (int t = 0; t < time; t++) {
            System.arraycopy(h, 0, x, t * units, units);
            double[] next = new double[units];
            for (int i = 0; i < units; i++) {
                double s = 0.1 * r.nextGaussian();
                for (int j = 0; j < units; j++) s += w[i * units + j] * h[j];
                next[i] = Math.tanh(s);
            }
            h = next;
        }
        int rows = time - delays + 1;
        double[] g = new double[n * n];
        for (int t = 0; t < rows; t++) {
            for (int a = 0; a < n; a++) {
                double va = x[(t + delays - 1 - a / units) * units + a % units];
                for (int b = 0; b < n; b++) g[a * n + b] += va * x[(t + delays - 1 - b / units) * units + b % units];
            }
        }
        assertTrue(KrylovEig.worthIt(n, k));
        SymmetricEig kr = KrylovEig.largest(n, g, k), full = EjmlDecompositions.fullEigSymmetric(n, g, k);
        assertNotNull(kr, "the Krylov solver did not converge on a HAVOK Gram matrix");
        assertTrue(full.values()[k - 1] / full.values()[0] < 0.2, "the test matrix should have a decaying spectrum");
        for (int c = 0; c < k; c++) assertEquals(full.values()[c], kr.values()[c], 1e-12 * full.values()[0], "eigenvalue " + c);
        assertEquals(0, vectorDifference(n, k, kr.vectors(), full.vectors()), 1e-10, "eigenvectors");
    }

    @Test
    void aRepeatedTopEigenvalueGivesAllItsCopies() {
        Random r = new Random(5);
        int n = 200, k = 6;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) lambda[i] = Math.pow(0.8, i);
        lambda[1] = lambda[2] = lambda[0]; // multiplicity 3 at the top
        double[] a = withSpectrum(r, lambda);
        SymmetricEig kr = KrylovEig.largest(n, a, k);
        assertNotNull(kr);
        double[] expected = {1, 1, 1, Math.pow(0.8, 3), Math.pow(0.8, 4), Math.pow(0.8, 5)};
        for (int c = 0; c < k; c++) assertEquals(expected[c], kr.values()[c], 1e-12, "eigenvalue " + c);
        // the three copies span the same subspace as the full solver's (projectors agree)
        SymmetricEig full = EjmlDecompositions.fullEigSymmetric(n, a, k);
        for (int i = 0; i < n; i += 17) {
            for (int j = 0; j < n; j += 13) {
                double pk = 0, pf = 0;
                for (int c = 0; c < 3; c++) {
                    pk += kr.vectors()[i * k + c] * kr.vectors()[j * k + c];
                    pf += full.vectors()[i * k + c] * full.vectors()[j * k + c];
                }
                assertEquals(pf, pk, 1e-10, "projector onto the top eigenspace at (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void aLowRankMatrixIsSolvedAfterItsKrylovSpaceCloses() {
        // rank 10: the Krylov space is invariant after 10 vectors, and new directions must come from fresh random ones
        Random r = new Random(9);
        int n = 160, k = 12;
        double[] lambda = new double[n];
        for (int i = 0; i < 10; i++) lambda[i] = 10 - i;
        double[] a = withSpectrum(r, lambda);
        SymmetricEig kr = KrylovEig.largest(n, a, k);
        assertNotNull(kr);
        for (int c = 0; c < k; c++) assertEquals(c < 10 ? 10 - c : 0, kr.values()[c], 1e-12, "eigenvalue " + c);
        for (int c = 0; c < k; c++) {
            for (int d = 0; d <= c; d++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += kr.vectors()[i * k + c] * kr.vectors()[i * k + d];
                assertEquals(c == d ? 1 : 0, dot, 1e-12, "orthonormal columns " + c + ", " + d);
            }
        }
    }

    @Test
    void aFlatSpectrumThatDoesNotConvergeInTheSubspaceFallsBackToTheFullDecomposition() {
        // equally spaced eigenvalues: the top 40 of 400 are not separated enough for a 384-vector subspace
        Random r = new Random(11);
        int n = 400, k = 40;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) lambda[i] = 1 - i / (double) n + 1e-3 * r.nextDouble();
        double[] a = withSpectrum(r, lambda);
        assertNull(KrylovEig.largest(n, a, k), "expected no convergence within the subspace limit");
        SymmetricEig e = EjmlDecompositions.eigSymmetric(n, a, k);
        SymmetricEig full = EjmlDecompositions.fullEigSymmetric(n, a, k);
        assertArrayEquals(full.values(), e.values(), 0.0, "the fallback is the full decomposition itself");
    }
}
