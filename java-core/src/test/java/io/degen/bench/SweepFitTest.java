package io.degen.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The sweeps' arithmetic on made-up measurements: the power-law fit, the DSA cost model and the CSV. */
class SweepFitTest {

    @Test
    void powerLawRecoversExactExponents() {
        double[] x = {8, 16, 32, 64, 512};
        double[] y = new double[x.length], z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 3 * x[i] * x[i];
            z[i] = 0.5 * Math.pow(x[i], -1.5);
        }
        PowerLaw f = PowerLaw.fit(x, y);
        assertEquals(2, f.exponent(), 1e-12);
        assertEquals(3, f.coefficient(), 1e-9);
        assertEquals(3 * 100 * 100, f.at(100), 1e-6);
        assertEquals(-1.5, PowerLaw.fit(x, z).exponent(), 1e-12);
        assertEquals(0.5, PowerLaw.fit(x, z).coefficient(), 1e-12);
    }

    @Test
    void powerLawSkipsUnusablePointsAndNeedsTwoDistinctX() {
        // a zero or missing cost (no CPU clock) is left out, not turned into -infinity
        PowerLaw f = PowerLaw.fit(new double[] {1, 2, 4, 8}, new double[] {5, 0, 80, Double.NaN});
        assertEquals(2, f.exponent(), 1e-12);
        assertFalse(PowerLaw.fit(new double[] {4}, new double[] {1}).defined());
        assertFalse(PowerLaw.fit(new double[] {4, 4}, new double[] {1, 2}).defined());
        assertFalse(PowerLaw.fit(new double[] {1, 2}, new double[] {-1, 2}).defined());
        assertThrows(IllegalArgumentException.class, () -> PowerLaw.fit(new double[] {1, 2}, new double[] {1}));
    }

    @Test
    void dsaModelPoolsFitsAndPairs() {
        // 2 s per fit and 10 ms per pair exactly: the model must give them back and put the crossover at K = 1 + 2 * 2 / 0.01
        List<String> cols = List.of("networks", "fit_seconds", "matrix_seconds", "pairs");
        List<double[]> rows = List.of(new double[] {10, 20, 0.45, 45}, new double[] {40, 80, 7.8, 780});
        DsaSweep.Model m = DsaSweep.Model.of(new SweepTable(cols, rows), "fit_seconds", "matrix_seconds");
        assertEquals(2, m.fitSeconds(), 1e-12);
        assertEquals(0.01, m.pairSeconds(), 1e-12);
        assertEquals(401, m.crossover(), 1e-9);
        assertEquals(150 * 2 + 11_175 * 0.01, m.seconds(150), 1e-9);
        List<double[]> noCpuClock = List.of(new double[] {10, -1, -1, 45}, new double[] {40, -1, -1, 780});
        assertNull(DsaSweep.Model.of(new SweepTable(cols, noCpuClock), "fit_seconds", "matrix_seconds"));
        List<double[]> belowTick = List.of(new double[] {10, 0, 0, 45}, new double[] {40, 0, 0, 780});
        assertNull(DsaSweep.Model.of(new SweepTable(cols, belowTick), "fit_seconds", "matrix_seconds"));
    }

    @Test
    void csvPrintsCountsAsIntegers() {
        SweepTable t = new SweepTable(List.of("hidden", "ms"), List.of(new double[] {32, 1.5}, new double[] {64, 1234.56789}));
        assertEquals("hidden,ms\n32,1.50000\n64,1234.57\n", t.csv());
    }
}
