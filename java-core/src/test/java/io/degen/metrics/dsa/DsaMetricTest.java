package io.degen.metrics.dsa;

import io.degen.testkit.Engines;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.util.Mat;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the Procrustes-over-vector-fields comparison and of the DSA metric. */
class DsaMetricTest {
    static final DsaMetric ANGULAR = new DsaMetric(DsaParams.defaults(), Engines.JAVA);
    static final DsaMetric EUCLIDEAN = new DsaMetric(DsaParams.defaults().withScore(DsaParams.Score.EUCLIDEAN), Engines.JAVA);

    static Operator op(Mat a) { return new Operator(a, 1, 1, 0, a.rows(), 1, 2, new double[] {1}, "test"); }

    static Mat gaussian(int n, SplittableRandom rnd) {
        Mat m = Mat.zeros(n, n);
        for (int i = 0; i < n * n; i++) m.data()[i] = RandomTanhRnn.gaussian(rnd) / Math.sqrt(n);
        return m;
    }

    static Mat mul(Mat x, Mat y) {
        int n = x.rows();
        Mat o = Mat.zeros(n, n);
        for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) for (int j = 0; j < n; j++) o.data()[i * n + j] += x.get(i, k) * y.get(k, j);
        return o;
    }

    static Mat transpose(Mat x) { return new Mat(x.rows(), x.cols(), SmallMat.transpose(x.rows(), x.data())); }

    static double det(Mat q) { return org.ejml.dense.row.CommonOps_DDRM.det(org.ejml.data.DMatrixRMaj.wrap(q.rows(), q.cols(), q.data().clone())); }

    @Test
    void orthogonalSimilarityHasZeroDistanceOnBothComponents() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int n : new int[] {2, 5, 12, 20}) {
            Mat a = gaussian(n, rnd);
            for (int sign : new int[] {1, -1}) {
                Mat q = new Mat(n, n, VectorFieldProcrustes.haar(n, rnd, sign));
                assertEquals(sign, Math.signum(det(q)));
                Mat b = mul(mul(q, a), transpose(q));
                for (int i = 0; i < b.data().length; i++) b.data()[i] *= 3.5; // scale does not matter
                double dE = EUCLIDEAN.distance(op(a), op(b)), dA = ANGULAR.distance(op(a), op(b));
                assertTrue(dE < 1e-6, "n=" + n + " det=" + sign + ": euclidean " + dE);
                assertTrue(dA < 1e-6, "n=" + n + " det=" + sign + ": angular " + dA);
            }
        }
    }

    @Test
    void signFlippedHavokCoordinatesHaveZeroDistance() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 16;
        Mat a = gaussian(n, rnd);
        Mat b = Mat.zeros(n, n);
        int[] d = new int[n];
        for (int i = 0; i < n; i++) d[i] = rnd.nextBoolean() ? 1 : -1;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) b.set(i, j, d[i] * d[j] * a.get(i, j));
        assertTrue(EUCLIDEAN.distance(op(a), op(b)) < 1e-9);
    }

    @Test
    void symmetricNonNegativeAndBounded() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 6; trial++) {
            int n = 4 + 3 * trial;
            Operator a = op(gaussian(n, rnd)), b = op(gaussian(n, rnd));
            for (DsaMetric m : new DsaMetric[] {ANGULAR, EUCLIDEAN}) {
                double ab = m.distance(a, b), ba = m.distance(b, a);
                assertEquals(ab, ba, 1e-6, "symmetry");
                assertTrue(ab >= 0);
            }
            double ang = ANGULAR.distance(a, b);
            assertTrue(ang >= 0 && ang <= Math.PI, "angular " + ang);
            assertTrue(EUCLIDEAN.distance(a, b) <= 2 + 1e-12);
            assertEquals(0.0, ANGULAR.distance(a, a));
        }
        // A against -A: still in range
        Mat a = gaussian(6, rnd), na = new Mat(6, 6, a.data().clone());
        for (int i = 0; i < 36; i++) na.data()[i] = -na.data()[i];
        double ang = ANGULAR.distance(op(a), op(na));
        assertTrue(ang > 0 && ang <= Math.PI);
    }

    @Test
    void transformIsOrthogonalAndReproducesBothScores() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int n : new int[] {3, 9, 20}) {
            Operator a = op(gaussian(n, rnd)), b = op(gaussian(n, rnd));
            for (Operator[] pair : new Operator[][] {{a, b}, {b, a}}) {
                VectorFieldProcrustes.Result r = EUCLIDEAN.align(pair[0], pair[1]);
                Mat c = r.c();
                Mat ctc = mul(transpose(c), c);
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(i == j ? 1 : 0, ctc.get(i, j), 1e-9);
                Mat cbct = mul(mul(c, r.b()), transpose(c));
                double e = 0, tr = 0;
                for (int i = 0; i < n * n; i++) {
                    double dd = r.a().data()[i] - cbct.data()[i];
                    e += dd * dd;
                    tr += r.a().data()[i] * cbct.data()[i];
                }
                assertEquals(r.euclidean(), Math.sqrt(e), 1e-12);
                assertEquals(EUCLIDEAN.distance(pair[0], pair[1]), Math.sqrt(e), 1e-12);
                assertEquals(r.angular(), Math.acos(Math.max(-1, Math.min(1, tr))), 1e-7);
                assertEquals(1.0, r.a().frobenius(), 1e-12);
                assertEquals(1.0, r.b().frobenius(), 1e-12);
            }
        }
    }

    @Test
    void deterministicGivenSeed() {
        SplittableRandom rnd = new SplittableRandom(1);
        Operator a = op(gaussian(10, rnd)), b = op(gaussian(10, rnd));
        assertEquals(ANGULAR.distance(a, b), new DsaMetric(DsaParams.defaults(), Engines.JAVA).distance(a, b), 0.0);
    }

    @Test
    void matrixIsSymmetricWithZeroDiagonalAndMatchesPairs() throws Exception {
        List<NdArray> xs = List.of(fixture("tanh_a"), fixture("tanh_b"), fixture("linear_c"));
        DsaParams p = DsaParams.of(4, 1, 8);
        double[][] one = new DsaMetric(p, Engines.JAVA).matrix(xs, 1), two = new DsaMetric(p, Engines.JAVA).matrix(xs, 2);
        DsaMetric m = new DsaMetric(p, Engines.JAVA);
        for (int i = 0; i < 3; i++) {
            assertEquals(0.0, one[i][i]);
            for (int j = 0; j < 3; j++) {
                assertEquals(one[i][j], one[j][i], 0.0);
                assertEquals(one[i][j], two[i][j], 0.0);
            }
        }
        assertEquals(m.distance(m.fit(xs.get(0)), m.fit(xs.get(2))), one[0][2], 0.0);
    }

    static NdArray fixture(String name) throws Exception {
        return Npy.read(Path.of(DsaMetricTest.class.getResource("/fixtures/dsa/" + name + ".npy").toURI()));
    }

    @Test
    void nullDistancesBelowBetweenSystemDistances() throws Exception {
        DsaMetric m = new DsaMetric(DsaParams.of(4, 1, 8), Engines.JAVA);
        NdArray a = fixture("tanh_a"), b = fixture("tanh_b"), c = fixture("linear_c");
        double[] nulls = m.nullDistances(a, 4, 7);
        assertEquals(4, nulls.length);
        double between = Math.min(m.distance(m.fit(a), m.fit(b)), m.distance(m.fit(a), m.fit(c)));
        for (double d : nulls) assertTrue(d >= 0 && d < between, "null " + d + " vs between " + between);
        assertEquals(nulls[0], m.nullDistances(a, 4, 7)[0], 0.0); // seeded
    }

    @Test
    void mismatchedRanksAreRejected() {
        SplittableRandom rnd = new SplittableRandom(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ANGULAR.distance(op(gaussian(4, rnd)), op(gaussian(5, rnd))));
        assertTrue(e.getMessage().contains("different ranks: 4 vs 5"), e.getMessage());
    }
}
