package io.degen.metrics.similarity;

import io.degen.testkit.Engines;
import com.fasterxml.jackson.databind.JsonNode;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.util.Json;
import io.degen.util.Mat;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimilarityTest {

    static Path fixture(String name) throws Exception {
        return Path.of(SimilarityTest.class.getResource("/fixtures/similarity/" + name).toURI());
    }

    static Mat load(String name) throws Exception { return Representations.fromArray(Npy.read(fixture(name)), name); }

    static Mat gaussian(Random rng, int r, int c) {
        double[] d = new double[r * c];
        for (int i = 0; i < d.length; i++) d[i] = rng.nextGaussian();
        return new Mat(r, c, d);
    }

    static Mat multiply(Mat a, Mat b) {
        double[] d = new double[a.rows() * b.cols()];
        for (int i = 0; i < a.rows(); i++)
            for (int k = 0; k < a.cols(); k++)
                for (int j = 0; j < b.cols(); j++) d[i * b.cols() + j] += a.get(i, k) * b.get(k, j);
        return new Mat(a.rows(), b.cols(), d);
    }

    /** A random orthogonal matrix (Gram-Schmidt on a Gaussian one). */
    static Mat orthogonal(Random rng, int n) {
        double[][] q = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = rng.nextGaussian();
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += v[i] * q[p][i];
                for (int i = 0; i < n; i++) v[i] -= dot * q[p][i];
            }
            double norm = 0;
            for (double x : v) norm += x * x;
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) q[c][i] = v[i] / norm;
        }
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) d[i * n + j] = q[j][i];
        return new Mat(n, n, d);
    }

    /** s * X Q + t (t a row vector added to every sample). */
    static Mat similarityTransform(Mat x, Random rng, double s) {
        Mat y = multiply(x, orthogonal(rng, x.cols()));
        double[] t = new double[x.cols()];
        for (int j = 0; j < t.length; j++) t[j] = rng.nextGaussian() * 5;
        double[] d = y.data();
        for (int i = 0; i < y.rows(); i++) for (int j = 0; j < y.cols(); j++) d[i * y.cols() + j] = s * d[i * y.cols() + j] + t[j];
        return y;
    }

    @Test
    void fixtureValuesMatch() throws Exception {
        JsonNode exp = Json.read(fixture("expected.json"));
        Mat x = load("X.npy"), y = load("Y.npy");
        assertEquals(exp.get("linear_cka").asDouble(), new LinearCka(Engines.JAVA).similarity(x, y), 1e-9);
        assertEquals(exp.get("procrustes_angular").asDouble(), new ProcrustesShape(Engines.JAVA).angle(x, y), 1e-9);
        assertEquals(exp.get("svcca_k4").asDouble(), new Svcca(4, Engines.JAVA).similarity(x, y), 1e-9);
        // Metric forms
        assertEquals(1 - exp.get("linear_cka").asDouble(), new LinearCka(Engines.JAVA).distance(x, y), 1e-9);
        assertEquals(exp.get("procrustes_angular").asDouble(), new ProcrustesShape(Engines.JAVA).distance(x, y), 1e-9);
        assertEquals(1 - exp.get("svcca_k4").asDouble(), new Svcca(4, Engines.JAVA).distance(x, y), 1e-9);
    }

    @Test
    void symmetricAndZeroOnSelf() throws Exception {
        Mat x = load("X.npy"), y = load("Y.npy");
        assertEquals(new LinearCka(Engines.JAVA).similarity(x, y), new LinearCka(Engines.JAVA).similarity(y, x), 1e-12);
        assertEquals(new ProcrustesShape(Engines.JAVA).angle(x, y), new ProcrustesShape(Engines.JAVA).angle(y, x), 1e-12);
        assertEquals(new Svcca(4, Engines.JAVA).similarity(x, y), new Svcca(4, Engines.JAVA).similarity(y, x), 1e-12);
        assertEquals(1.0, new LinearCka(Engines.JAVA).similarity(x, x), 1e-12);
        assertEquals(0.0, new ProcrustesShape(Engines.JAVA).angle(y, y), 1e-6); // acos near 1 amplifies rounding
        assertEquals(1.0, new Svcca(4, Engines.JAVA).similarity(x, x), 1e-12);
        assertEquals("cka", new LinearCka(Engines.JAVA).name());
        assertEquals("procrustes", new ProcrustesShape(Engines.JAVA).name());
        assertEquals("svcca", new Svcca(3, Engines.JAVA).name());
    }

    @Test
    void invariantToRotationScaleAndTranslation() {
        Random rng = new Random(8);
        Mat x = gaussian(rng, 150, 12), z = gaussian(rng, 150, 9);
        Mat xt = similarityTransform(x, rng, 3.7);
        assertEquals(1.0, new LinearCka(Engines.JAVA).similarity(x, xt), 1e-10);
        assertEquals(0.0, new ProcrustesShape(Engines.JAVA).angle(x, xt), 1e-6);
        assertEquals(1.0, new Svcca(5, Engines.JAVA).similarity(x, xt), 1e-10);
        // A third representation: values unchanged when one side is transformed.
        assertEquals(new LinearCka(Engines.JAVA).similarity(x, z), new LinearCka(Engines.JAVA).similarity(xt, z), 1e-10);
        assertEquals(new ProcrustesShape(Engines.JAVA).angle(x, z), new ProcrustesShape(Engines.JAVA).angle(xt, z), 1e-10);
        assertEquals(new Svcca(5, Engines.JAVA).similarity(x, z), new Svcca(5, Engines.JAVA).similarity(xt, z), 1e-10);
    }

    @Test
    void procrustesPaddingAndRange() {
        Random rng = new Random(12);
        Mat x = gaussian(rng, 80, 3);
        // Y = X embedded in a wider space (zero columns appended), then rotated: angle 0.
        double[] wide = new double[80 * 7];
        for (int i = 0; i < 80; i++) for (int j = 0; j < 3; j++) wide[i * 7 + j] = x.get(i, j);
        Mat y = similarityTransform(new Mat(80, 7, wide), rng, 0.2);
        assertEquals(0.0, new ProcrustesShape(Engines.JAVA).angle(x, y), 1e-6);
        Mat z = gaussian(rng, 80, 5);
        double a = new ProcrustesShape(Engines.JAVA).angle(x, z);
        assertTrue(a > 0 && a <= Math.PI / 2, "angle " + a);
    }

    @Test
    void ckaRange() {
        Random rng = new Random(2);
        for (int t = 0; t < 10; t++) {
            double c = new LinearCka(Engines.JAVA).similarity(gaussian(rng, 60, 4 + t), gaussian(rng, 60, 3 + t));
            assertTrue(c >= 0 && c <= 1, "cka " + c);
            double s = new Svcca(3, Engines.JAVA).similarity(gaussian(rng, 60, 4 + t), gaussian(rng, 60, 3 + t));
            assertTrue(s >= 0 && s <= 1, "svcca " + s);
        }
    }

    @Test
    void trajectoriesAreFlattened() throws Exception {
        Mat x = load("X.npy");
        double[] d = x.data().clone();
        NdArray rank3 = NdArray.f64(d, 20, 10, 10); // 200 samples = 20 trials x 10 steps
        Mat flat = Representations.fromArray(rank3, "X3");
        assertEquals(200, flat.rows());
        assertEquals(10, flat.cols());
        assertEquals(new LinearCka(Engines.JAVA).similarity(x, load("Y.npy")), new LinearCka(Engines.JAVA).similarity(flat, load("Y.npy")), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Representations.fromArray(NdArray.f64(new double[8], 2, 2, 2, 1), "Z.npy"));
        assertTrue(e.getMessage().contains("Z.npy") && e.getMessage().contains("[2, 2, 2, 1]"), e.getMessage());
    }

    @Test
    void rejectsBadInput() {
        Random rng = new Random(3);
        Mat x = gaussian(rng, 10, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LinearCka(Engines.JAVA).similarity(x, gaussian(rng, 11, 3)));
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("11"), e.getMessage());
        Mat bad = gaussian(rng, 10, 3);
        bad.set(4, 1, Double.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> new ProcrustesShape(Engines.JAVA).angle(x, bad));
        assertTrue(e.getMessage().contains("Y") && e.getMessage().contains("NaN"), e.getMessage());
        Mat constant = new Mat(10, 3, new double[30]);
        assertThrows(IllegalArgumentException.class, () -> new LinearCka(Engines.JAVA).similarity(constant, x));
        assertThrows(IllegalArgumentException.class, () -> new ProcrustesShape(Engines.JAVA).angle(x, constant));
        e = assertThrows(IllegalArgumentException.class, () -> new Svcca(4, Engines.JAVA).similarity(x, x));
        assertTrue(e.getMessage().contains("k = 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Svcca(0, Engines.JAVA));
        assertThrows(IllegalArgumentException.class, () -> new Svcca(2, Engines.JAVA).similarity(x, new Mat(0, 3, new double[0])));
    }
}
