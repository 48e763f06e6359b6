package io.degen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.degen.backend.Backends;
import io.degen.metrics.dsa.Operator;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each JMH benchmark's setup and body once, outside JMH, and checks what the body computed, so
 * a benchmark that no longer sets up, or computes the wrong thing, fails the build. Times nothing.
 * Sizes that are JMH parameters are made smaller here: before the JIT has compiled them, the Vector
 * API kernels are slow enough that the full sizes would add tens of seconds to the suite.
 */
class KernelBenchmarksTest {
    static final int HIDDEN = 32, UNITS = 48, PIF_N = 48;

    @Test
    void everyBenchmarkIsRegisteredForTheJmhRunner() throws Exception {
        // The annotation processor writes this list; without it tests/bench/jmh would find nothing.
        String list;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertTrue(in != null, "META-INF/BenchmarkList missing: the JMH annotation processor did not run");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String b : new String[] {"GemmBench", "TrainStepBench", "HavokFitBench", "DsaPairBench", "PifPairBench"}) {
            assertTrue(list.contains("io.degen.bench." + b + " "), b + " is not in META-INF/BenchmarkList");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java:step", "java:wgrad", "java:square512", "mkl:step", "mkl:wgrad", "mkl:square512"})
    void gemmComputesTheProductOfItsShape(String param) {
        GemmBench b = new GemmBench();
        b.backend = available(param.split(":")[0]);
        b.shape = param.split(":")[1];
        b.setup();
        try {
            GemmBench.Shape s = b.s;
            double[] a = b.be.toDoubles(b.a), bb = b.be.toDoubles(b.b), c0 = b.be.toDoubles(b.c);
            double[] c = b.be.toDoubles(b.gemm());
            double worst = 0, scale = 0;
            // one entry per row, in varying columns: a full reference product would cost seconds
            for (int i = 0; i < s.m(); i++) {
                int j = (7 * i) % s.n();
                double sum = s.beta() * c0[i * s.n() + j];
                for (int p = 0; p < s.k(); p++) {
                    double aip = s.transA() ? a[p * s.m() + i] : a[i * s.k() + p];
                    sum += aip * bb[p * s.n() + j];
                }
                worst = Math.max(worst, Math.abs(c[i * s.n() + j] - sum));
                scale = Math.max(scale, Math.abs(sum));
            }
            assertTrue(worst <= 1e-4 * scale, param + ": max error " + worst + " against max |C| " + scale);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "mkl"})
    void trainStepReturnsALossAndUpdatesTheWeights(String backend) {
        TrainStepBench b = new TrainStepBench();
        b.backend = available(backend);
        b.hidden = HIDDEN;
        b.setup();
        try {
            assertEquals(HIDDEN, b.model.hidden());
            assertEquals(64 * 100, b.data[0].batch() * b.data[0].time());
            double[] before = b.be.toDoubles(b.model.params());
            double loss = b.step();
            assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
            assertEquals(1, b.adam.steps());
            assertFalse(Arrays.equals(before, b.be.toDoubles(b.model.params())), "Adam left the weights unchanged");
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "mkl"})
    void havokFitGivesARank20Operator(String backend) {
        HavokFitBench b = new HavokFitBench();
        b.backend = available(backend);
        b.units = UNITS;
        b.setup();
        try {
            Operator op = b.fit();
            assertEquals(20, op.rank());
            assertEquals(UNITS, op.units());
            assertEquals(64, op.trials());
            for (double v : op.a().data()) assertTrue(Double.isFinite(v));
        } finally {
            b.tearDown();
        }
    }

    @Test
    void dsaPairGivesAPositiveAngle() {
        DsaPairBench b = new DsaPairBench();
        b.units = UNITS;
        b.setup();
        double d = b.distance();
        // angular score: an angle in radians; the two networks differ in gain, so it is not zero
        assertTrue(d > 0 && d <= Math.PI, "distance " + d);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "mkl"})
    void pifPairGivesAPositiveDistanceAndMovesToTheNextPair(String backend) {
        PifPairBench b = new PifPairBench();
        b.backend = available(backend);
        b.n = PIF_N;
        b.setup();
        try {
            assertEquals(PIF_N, b.left[0].rows());
            double d = b.distance();
            assertTrue(Double.isFinite(d) && d > 0, "distance " + d);
            assertEquals(1, b.next);
        } finally {
            b.tearDown();
        }
    }

    private static String available(String backend) {
        String reason = Backends.unavailableReason(backend);
        assumeTrue(reason == null, () -> backend + " skipped: " + reason);
        return backend;
    }
}
