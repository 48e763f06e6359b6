package io.degen.metrics.similarity;

import io.degen.util.Mat;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MdsTest {

    static double[][] distances(double[][] pts) {
        int n = pts.length;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < pts[i].length; k++) { double e = pts[i][k] - pts[j][k]; s += e * e; }
                d[i][j] = Math.sqrt(s);
            }
        }
        return d;
    }

    @Test
    void recoversPlanarConfigurationUpToRotation() {
        Random rng = new Random(5);
        for (int n : new int[] {3, 5, 12, 40}) {
            double[][] pts = new double[n][2];
            for (double[] p : pts) { p[0] = rng.nextGaussian() * 3 + 10; p[1] = rng.nextGaussian(); }
            double[][] d = distances(pts);
            Mat x = ClassicalMds.embed2d(d);
            assertEquals(n, x.rows());
            assertEquals(2, x.cols());
            double[][] emb = new double[n][];
            for (int i = 0; i < n; i++) emb[i] = new double[] {x.get(i, 0), x.get(i, 1)};
            double[][] back = distances(emb);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(d[i][j], back[i][j], 1e-9, "n=" + n);
            // Centered output.
            double m0 = 0, m1 = 0;
            for (int i = 0; i < n; i++) { m0 += x.get(i, 0); m1 += x.get(i, 1); }
            assertEquals(0.0, m0, 1e-9);
            assertEquals(0.0, m1, 1e-9);
        }
    }

    @Test
    void eigenvaluesAndHigherDimensions() {
        // Points on a line: one positive eigenvalue, the rest ~0; the second axis collapses.
        double[][] pts = {{0}, {1}, {3}, {7}};
        ClassicalMds.Result r = ClassicalMds.fit(distances(pts), 2);
        double[] ev = r.eigenvalues();
        assertTrue(ev[0] > 1);
        for (int k = 1; k < ev.length; k++) assertEquals(0.0, ev[k], 1e-9);
        for (int i = 0; i < 4; i++) assertEquals(0.0, r.coordinates().get(i, 1), 1e-6);
        assertEquals(7.0, Math.abs(r.coordinates().get(3, 0) - r.coordinates().get(0, 0)), 1e-9);
        // 3-D configuration in 3 dims.
        Random rng = new Random(9);
        double[][] p3 = new double[10][3];
        for (double[] p : p3) for (int k = 0; k < 3; k++) p[k] = rng.nextGaussian();
        Mat x = ClassicalMds.fit(distances(p3), 3).coordinates();
        double[][] emb = new double[10][3];
        for (int i = 0; i < 10; i++) for (int k = 0; k < 3; k++) emb[i][k] = x.get(i, k);
        double[][] d = distances(p3), back = distances(emb);
        for (int i = 0; i < 10; i++) for (int j = 0; j < 10; j++) assertEquals(d[i][j], back[i][j], 1e-9);
        // Single item.
        assertEquals(0.0, ClassicalMds.fit(new double[][] {{0}}, 1).coordinates().get(0, 0), 0.0);
    }

    @Test
    void rejectsBadMatrices() {
        assertThrows(IllegalArgumentException.class, () -> ClassicalMds.embed2d(new double[0][0]));
        assertThrows(IllegalArgumentException.class, () -> ClassicalMds.embed2d(new double[][] {{0, 1}, {1}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassicalMds.embed2d(new double[][] {{0, 1}, {2, 0}}));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassicalMds.embed2d(new double[][] {{1, 1}, {1, 0}}));
        assertThrows(IllegalArgumentException.class, () -> ClassicalMds.embed2d(new double[][] {{0, -1}, {-1, 0}}));
        assertThrows(IllegalArgumentException.class, () -> ClassicalMds.embed2d(new double[][] {{0, Double.NaN}, {Double.NaN, 0}}));
        assertThrows(IllegalArgumentException.class, () -> ClassicalMds.fit(new double[][] {{0, 1}, {1, 0}}, 3));
    }
}
