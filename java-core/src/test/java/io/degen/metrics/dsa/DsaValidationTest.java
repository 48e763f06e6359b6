package io.degen.metrics.dsa;

import io.degen.testkit.Engines;
import io.degen.io.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad inputs fail with messages that name the argument. */
class DsaValidationTest {
    static void fails(Executable e, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) assertTrue(ex.getMessage().contains(p), "message '" + ex.getMessage() + "' lacks '" + p + "'");
    }

    static NdArray ones(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = Math.sin(i + 1.0);
        return NdArray.f64(d, shape);
    }

    @Test
    void shapeMustBeTrialsTimeUnits() {
        fails(() -> HavokDmd.fit(Engines.JAVA, ones(2, 3, 4, 5), DsaParams.defaults(), "X.npy"), "X.npy", "(trials, time, units)", "[2, 3, 4, 5]");
        fails(() -> HavokDmd.fit(Engines.JAVA, ones(7), DsaParams.defaults(), "X.npy"), "X.npy", "(trials, time, units)");
    }

    @Test
    void emptyAndNonFiniteRejected() {
        fails(() -> HavokDmd.fit(Engines.JAVA, ones(0, 10, 3), DsaParams.defaults(), "Y.npy"), "Y.npy", "empty");
        fails(() -> HavokDmd.fit(Engines.JAVA, ones(2, 10, 0), DsaParams.defaults(), "Y.npy"), "Y.npy", "empty");
        NdArray x = ones(2, 10, 3);
        x.data()[(1 * 10 + 4) * 3 + 2] = Double.NaN;
        fails(() -> HavokDmd.fit(Engines.JAVA, x, DsaParams.defaults(), "Y.npy"), "Y.npy", "NaN", "trial 1", "time 4", "unit 2");
        NdArray y = ones(2, 10, 3);
        y.data()[0] = Double.POSITIVE_INFINITY;
        fails(() -> HavokDmd.fit(Engines.JAVA, y, DsaParams.defaults(), "Y.npy"), "Infinity");
    }

    @Test
    void parametersNamed() {
        fails(() -> DsaParams.of(0, 1, 0), "n_delays", ">= 1");
        fails(() -> DsaParams.of(1, 0, 0), "delay_interval", ">= 1");
        fails(() -> DsaParams.of(1, 1, -2), "rank");
        fails(() -> DsaParams.defaults().withRidge(-1), "ridge");
        fails(() -> DsaParams.Score.parse("cosine"), "score", "angular or euclidean");
    }

    @Test
    void rankAndTimeLimits() {
        NdArray x = ones(3, 20, 4);
        fails(() -> HavokDmd.fit(Engines.JAVA, x, DsaParams.of(2, 1, 9), "X"), "rank 9", "n_delays * units", "8");
        fails(() -> HavokDmd.fit(Engines.JAVA, x, DsaParams.of(8, 3, 2), "X"), "time steps", "n_delays 8", "delay_interval 3");
        fails(() -> HavokDmd.fit(Engines.JAVA, ones(1, 4, 6), DsaParams.of(1, 1, 5), "X"), "rank 5", "rows");
        fails(() -> HavokDmd.fit(Engines.JAVA, ones(1, 6, 6), DsaParams.of(2, 1, 5), "X"), "regression pairs");
        NdArray zeros = NdArray.f64(new double[3 * 20 * 4], 3, 20, 4);
        fails(() -> HavokDmd.fit(Engines.JAVA, zeros, DsaParams.of(1, 1, 2), "Z.npy"), "Z.npy", "all zeros");
        // rank above the numerical rank of the Hankel matrix: data in a 1-D subspace
        double[] d = new double[3 * 20 * 4];
        for (int i = 0; i < d.length; i++) d[i] = Math.sin(i / 4 + 1.0);
        fails(() -> HavokDmd.fit(Engines.JAVA, NdArray.f64(d, 3, 20, 4), DsaParams.of(1, 1, 3), "X"), "numerical rank");
    }

    @Test
    void nullDistributionNeedsTwoTrials() {
        DsaMetric m = new DsaMetric(DsaParams.of(1, 1, 2), Engines.JAVA);
        fails(() -> m.nullDistances(ones(1, 30, 3), 2, 0), "at least 2 trials");
        fails(() -> m.nullDistances(ones(4, 30, 3), 0, 0), "splits");
    }
}
